// <faultline-embed>: a Faultline embed as one HTML element, for blog posts and slides.
//
//   <script type="module" src="https://example.org/faultline/assets/faultline-embed.js"></script>
//   <faultline-embed scenario="split-brain" step="40"></faultline-embed>
//
// The element wraps the iframe (`?embed=1&…`) and the postMessage host protocol (README.md,
// "Embedding" and "Driving an embed from the page"): attributes become the iframe's address,
// methods become commands, and the embed's messages become DOM events on the element.
//
// One file, no dependencies, no build step: it is shipped as written (trunk copies `assets/`
// into the release; scripts/pack_release.mjs minifies only the app's own glue). It is an ES
// module because it finds the app next to itself through `import.meta.url`.
//
// The iframe lives in an open shadow root: the page's own CSS (`iframe { border: … }`,
// `max-width`, margins) cannot reach it, while CSS for `faultline-embed` itself still wins over
// the defaults below (a `:host` rule is the weakest there is). Open, so the page (and a test)
// may still reach the iframe: `element.iframe` or `element.shadowRoot.querySelector('iframe')`.

/** The app this module belongs to: it is served from `<app>/assets/faultline-embed.js`. (None
 * when the module was loaded from an address with no folders, a blob: or data: URL: then `src`
 * must say where the app is.) */
const DEFAULT_BASE = (() => {
  try {
    return new URL('../', import.meta.url).href;
  } catch {
    return null;
  }
})();

/** Commands held before the iframe has loaded, at most (the embed's own queue holds 64 too). */
const MAX_HELD = 64;

/** Heights `height="auto"` accepts from the embed, in CSS px. */
const MIN_HEIGHT = 120;
const MAX_HEIGHT = 4000;

const STYLE = `
  :host { display: block; width: 100%; height: 540px; }
  :host([hidden]) { display: none; }
  iframe { display: block; border: 0; width: 100%; height: 100%; }
  p { margin: 0; padding: 1em; font: 14px/1.4 system-ui, sans-serif; }
`;

/** Whether an http(s) URL: the only kind with an origin worth naming. */
const isWebOrigin = (origin) => /^https?:\/\//.test(origin);

/**
 * An attribute as a command field: digits become a number (if exact), yes/no words a boolean
 * (an attribute present but empty is "yes"), anything else stays text, for the embed to say
 * what is wrong with it (`faultline:error`).
 */
function fieldOf(value, kind) {
  if (value === null) return undefined;
  const text = value.trim();
  if (kind === 'flag') {
    if (['', '1', 'true', 'yes'].includes(text)) return true;
    if (['0', 'false', 'no'].includes(text)) return false;
    return value;
  }
  if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  return value;
}

/** `960` as `960px`; other CSS lengths as written. */
const cssLength = (value) => (/^\d+(\.\d+)?$/.test(value.trim()) ? `${value.trim()}px` : value);

export class FaultlineEmbed extends HTMLElement {
  static observedAttributes = [
    'scenario', 'step', 'fix', 'seed', 'autoplay', 'speed', 'theme', 'panels',
    'title', 'width', 'height', 'src',
  ];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.innerHTML = `<style>${STYLE}</style>`;
    /** Whether connected and built (from then on, attribute changes drive the embed). */
    this._started = false;
    /** The iframe (none before the element is connected, or without an address to load). */
    this._frame = null;
    /** Whether the iframe's document has loaded, so its window takes our messages. */
    this._loaded = false;
    /** The embed's origin (the postMessage target), or '*' when its address has none. */
    this._origin = '*';
    /** Commands waiting for the iframe to load, in order. */
    this._held = [];
    this._nextId = 1;
    /** What the embed said last, kept for the page to read. */
    this._info = null;
    this._step = null;
    this._finished = false;
    /** Every finding told in this run, by index, and how many the step on stage has found. */
    this._findings = [];
    this._found = 0;
    /** Whether the fix will be on once the commands sent so far are carried out. */
    this._fix = false;
    /** The height the embed last asked for (CSS px), if it was sensible. */
    this._wanted = null;
    this._onMessage = (event) => this._receive(event);
    this._renewReady(true);
  }

  // --- State, as the embed last said it -------------------------------------------------

  /** A promise of the `faultline:ready` fields of the run on stage; renewed by `load`,
   * `reset`, `setFix` and attribute changes that start a new run. Never rejects. */
  get ready() { return this._ready.promise; }
  /** Whether a run is on stage and no new one has been asked for since. */
  get isReady() { return this._ready.done; }
  /** The step on stage (`null` before the first `faultline:step`). */
  get currentStep() { return this._step; }
  get finished() { return this._finished; }
  /** The findings up to the step on stage (`faultline:finding` fields), in time order. The embed
   * tells each finding once per run; going back un-finds it here, going forward finds it again. */
  get findings() { return this._findings.slice(0, this._found).filter(Boolean); }
  /** Every preset id the embed knows (from `faultline:ready`). */
  get scenarios() { return this._info ? this._info.scenarios : null; }
  /** Events in the whole run (`steps` of `faultline:ready`; `null` if unknown). */
  get totalSteps() { return this._info ? this._info.steps ?? null : null; }
  /** `{step, timeUs}` of the scenario's key moment, or `null`. */
  get keyMoment() { return this._info ? this._info.keyMoment ?? null : null; }
  /** The last `faultline:ready` fields (scenario, title, fix, seed, …), or `null`. */
  get info() { return this._info; }
  get iframe() { return this._frame; }

  // --- Methods: each sends one command and returns its id (echoed in `faultline-error`) ---

  play(speed) {
    const given = speed ?? fieldOf(this.getAttribute('speed'));
    return this._send({ type: 'faultline:play', speed: given });
  }
  pause() { return this._send({ type: 'faultline:pause' }); }
  step(count = 1) { return this._send({ type: 'faultline:step', count }); }
  seek(step) { return this._send({ type: 'faultline:seek', step }); }
  load({ scenario, fix, seed } = {}) {
    return this._send({ type: 'faultline:load', scenario, fix, seed });
  }
  reset() { return this._send({ type: 'faultline:reset' }); }
  setFix(enabled) { return this._send({ type: 'faultline:set-fix', enabled }); }

  // --- Lifecycle -------------------------------------------------------------------------

  connectedCallback() {
    window.addEventListener('message', this._onMessage);
    this._applySize();
    // Built a moment later, so attributes set right after `append` are in the first address.
    queueMicrotask(() => {
      if (this.isConnected && !this._started) {
        this._started = true;
        this._build();
      }
    });
  }

  disconnectedCallback() {
    window.removeEventListener('message', this._onMessage);
    // A detached iframe's document is gone; connecting again builds a fresh one.
    if (this._frame) this._frame.remove();
    this._frame = null;
    this._loaded = false;
    this._started = false;
  }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === 'width' || name === 'height') return this._applySize();
    // Before the iframe is built, attributes simply go into its address.
    if (!this._started) return;
    switch (name) {
      case 'step':
        if (value !== null) this.seek(fieldOf(value));
        break;
      case 'scenario':
      case 'fix':
      case 'seed':
        this._loadFromAttributes();
        break;
      case 'autoplay':
        if (value === null || fieldOf(value, 'flag') === false) this.pause();
        else this.play();
        break;
      case 'title':
        if (this._frame) this._frame.title = this._title();
        break;
      case 'theme':
      case 'panels':
      case 'src':
        this._build();
        break;
      // `speed` is read by the next `play()`.
    }
  }

  // --- Inside ----------------------------------------------------------------------------

  /** The app's base URL: `src` (relative to the page) or the one this module came from. */
  _base() {
    const src = this.getAttribute('src');
    if (src !== null && src.trim() !== '') {
      try {
        return new URL(src, document.baseURI);
      } catch {
        const instead = DEFAULT_BASE ? `using ${DEFAULT_BASE}` : 'and there is no other';
        console.warn(`Faultline: src=“${src}” is not an address; ${instead}.`);
      }
    }
    return DEFAULT_BASE ? new URL(DEFAULT_BASE) : null;
  }

  /** The iframe's address: the base with `embed=1` and the options given as attributes. */
  _address() {
    const url = this._base();
    if (!url) return null;
    const options = [['embed', '1']];
    const add = (key, value) => {
      if (value !== null && value !== undefined) options.push([key, value]);
    };
    add('scenario', this.getAttribute('scenario'));
    add('step', this.getAttribute('step'));
    const autoplay = this.getAttribute('autoplay');
    if (autoplay !== null) add('autoplay', autoplay.trim() === '' ? '1' : autoplay);
    add('speed', this.getAttribute('speed'));
    add('theme', this.getAttribute('theme'));
    add('panels', this.getAttribute('panels'));
    const fix = this.getAttribute('fix');
    if (fix !== null) add('fix', fix.trim() === '' ? '1' : fix);
    add('seed', this.getAttribute('seed'));
    // Only this page may drive the embed, and only this page hears it (when it has an origin).
    if (isWebOrigin(window.origin)) add('origin', window.origin);
    const query = options.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    url.search = url.search ? `${url.search}&${query}` : query;
    return url;
  }

  _title() {
    const given = this.getAttribute('title');
    if (given !== null && given.trim() !== '') return given;
    const name = this._info?.title || this.getAttribute('scenario');
    return name ? `Faultline: ${name}` : 'Faultline';
  }

  /** (Re)builds the iframe from the attributes: a fresh document and a fresh run. */
  _build() {
    const url = this._address();
    this.shadowRoot.querySelector('p')?.remove();
    if (this._frame) this._frame.remove();
    this._frame = null;
    if (!url) {
      // Nothing to load: said on the page, where the embed would be, and on the console.
      console.warn('Faultline: this embed has no address to load: set src to the app\'s address.');
      const note = document.createElement('p');
      note.textContent = 'Faultline cannot load here: this embed needs src, the app\'s address.';
      this.shadowRoot.append(note);
      return;
    }
    this._origin = isWebOrigin(url.origin) ? url.origin : '*';
    this._loaded = false;
    this._info = null;
    this._step = null;
    this._finished = false;
    this._findings = [];
    this._found = 0;
    this._openingFix = fieldOf(this.getAttribute('fix'), 'flag') === true;
    this._fix = this._openingFix;
    this._renewReady(true);
    const frame = document.createElement('iframe');
    frame.style.cssText = 'border:0;width:100%;height:100%';
    frame.loading = 'lazy';
    frame.title = this._title();
    frame.src = url.href;
    frame.addEventListener('load', () => {
      if (this._frame === frame) this._flush();
    });
    this._frame = frame;
    this.shadowRoot.append(frame);
  }

  /** Sends `command` now if the iframe has loaded, else holds it until it has. */
  _send(command) {
    const id = this._nextId++;
    const message = { ...command, id };
    for (const key of Object.keys(message)) {
      if (message[key] === undefined) delete message[key];
    }
    if (this._startsRun(message)) this._renewReady(false, id);
    if (this._loaded && this._frame?.contentWindow) {
      this._post(message);
    } else {
      // A seek replaces a seek held just before it: only where it ends matters.
      const last = this._held.at(-1);
      if (message.type === 'faultline:seek' && last?.type === 'faultline:seek') this._held.pop();
      this._held.push(message);
      if (this._held.length > MAX_HELD) {
        const dropped = this._held.shift();
        this._settle(dropped.id);
        console.warn(`Faultline: more than ${MAX_HELD} commands before the embed loaded; dropped ${dropped.type}.`);
      }
    }
    return id;
  }

  /** Whether the embed will answer `message` with a new run (and `ready`), keeping `_fix` up
   * to date: setting the fix to what it already is starts nothing. */
  _startsRun(message) {
    switch (message.type) {
      case 'faultline:load':
        this._fix = message.fix === true;
        return true;
      case 'faultline:reset':
        this._fix = this._openingFix;
        return true;
      case 'faultline:set-fix':
        if (message.enabled === this._fix) return false;
        if (typeof message.enabled === 'boolean') this._fix = message.enabled;
        return true;
      default:
        return false;
    }
  }

  _flush() {
    this._loaded = true;
    const held = this._held;
    this._held = [];
    for (const message of held) this._post(message);
  }

  _post(message) {
    try {
      this._frame.contentWindow.postMessage(message, this._origin);
    } catch (error) {
      // E.g. a value that cannot be sent (a function): said like the embed's own errors.
      this._settle(message.id);
      this._emit('faultline-error', {
        type: 'faultline:error', command: message.type ?? null, id: message.id,
        message: `The command could not be sent: ${error.message}`,
      });
    }
  }

  /** `faultline:load` with the attributes' scenario (or the one on stage), fix and seed. */
  _loadFromAttributes() {
    const fix = fieldOf(this.getAttribute('fix'), 'flag');
    this.load({
      scenario: this.getAttribute('scenario') ?? this._info?.scenario,
      fix: fix ?? false,
      seed: fieldOf(this.getAttribute('seed')),
    });
  }

  /**
   * Renews the ready promise (if it has resolved) and says what it waits for: `fresh`, a new
   * document, so the ready of its opening run, then the runs asked for by commands still held;
   * `id`, a command that starts a new run. It resolves when every run asked for is on stage or
   * refused (a `faultline:error` echoing the command's id).
   */
  _renewReady(fresh = false, id) {
    if (!this._ready || this._ready.done) {
      let resolve;
      const promise = new Promise((r) => { resolve = r; });
      this._ready = { promise, resolve, done: false, waiting: [] };
    }
    if (fresh) {
      const held = this._held.filter((m) => this._startsRun(m)).map((m) => m.id);
      this._ready.waiting = ['open', ...held];
    }
    if (id !== undefined) this._ready.waiting.push(id);
  }

  _settle(removed) {
    const ready = this._ready;
    const at = removed === undefined ? 0 : ready.waiting.indexOf(removed);
    if (at < 0 || ready.done) return;
    ready.waiting.splice(at, 1);
    if (ready.waiting.length === 0 && this._info) {
      ready.done = true;
      // Nothing more asked for: what the embed says is what there is (the reader may have
      // changed the fix in the embed itself).
      this._fix = this._info.fix === true;
      ready.resolve(this._info);
    }
  }

  _receive(event) {
    // Only this element's iframe, and (when it has one) only from the embed's origin.
    if (!this._frame || event.source !== this._frame.contentWindow) return;
    if (this._origin !== '*' && event.origin !== this._origin) return;
    let data = event.data;
    if (typeof data === 'string') {
      try { data = JSON.parse(data); } catch { return; }
    }
    if (!data || typeof data !== 'object' || typeof data.type !== 'string') return;
    // A message means the document is there: send what is held (if `load` was missed).
    if (!this._loaded) this._flush();
    const detail = { ...data };
    switch (data.type) {
      case 'faultline:ready':
        this._info = detail;
        this._findings = [];
        this._found = 0;
        this._finished = false;
        this._frame.title = this._title();
        if (!this._ready.done) this._settle();
        else {
          this._ready = { promise: Promise.resolve(detail), done: true, waiting: [] };
          this._fix = detail.fix === true;
        }
        this._emit('faultline-ready', detail);
        break;
      case 'faultline:step':
        this._step = data.step;
        this._finished = data.finished === true;
        if (Number.isInteger(data.findings)) this._found = data.findings;
        this._emit('faultline-step', detail);
        break;
      case 'faultline:finding':
        if (Number.isInteger(data.index) && data.index >= 0 && data.index < 100000) {
          this._findings[data.index] = detail;
          // Told before the step that finds it: it is found now.
          this._found = Math.max(this._found, data.index + 1);
        }
        this._emit('faultline-finding', detail);
        break;
      case 'faultline:error':
        if (data.id !== null && data.id !== undefined) this._settle(data.id);
        this._emit('faultline-error', detail);
        break;
      case 'faultline:height':
        this._autoHeight(data.height);
        break;
    }
  }

  _emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));
  }

  /** `width`/`height` attributes as the element's size; without them, the defaults in STYLE. */
  _applySize() {
    const width = this.getAttribute('width');
    const height = this.getAttribute('height');
    this.style.width = width === null ? '' : cssLength(width);
    if (height === null) this.style.height = '';
    else if (height.trim() !== 'auto') this.style.height = cssLength(height);
    else this.style.height = this._wanted === null ? '' : `${this._wanted}px`;
  }

  /** A `faultline:height`: kept (the embed says it again only when it changes), and followed
   * if `height="auto"`. */
  _autoHeight(height) {
    if (typeof height !== 'number' || !Number.isFinite(height)) return;
    if (height < MIN_HEIGHT || height > MAX_HEIGHT) return;
    this._wanted = Math.ceil(height);
    if (this.getAttribute('height')?.trim() === 'auto') this._applySize();
  }
}

if (!customElements.get('faultline-embed')) customElements.define('faultline-embed', FaultlineEmbed);
