// How this project launches Debian's Chromium: shared by the Playwright tests and the browser
// benchmarks. These flags keep it from reaching for the network, which is closed here.
export const executablePath = process.env.FAULTLINE_CHROMIUM || '/usr/bin/chromium';

export const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
