import { chromium } from 'playwright';
import { args, executablePath } from './tests/e2e/chromium.mjs';
const [,, url, out, w, h] = process.argv;
const b = await chromium.launch({ executablePath, args });
const p = await b.newPage({ viewport: { width: +w || 1366, height: +h || 768 } });
await p.goto(url);
await p.waitForTimeout(500);
await p.screenshot({ path: out, fullPage: true });
await b.close();
