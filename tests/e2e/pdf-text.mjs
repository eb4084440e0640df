// Reads a PDF that Chromium printed (page.pdf()) well enough to test it, with Node alone: its
// pages in order, and each page's text as a PDF reader would select and copy it. Chromium (Skia)
// writes plain objects (no object streams), content and fonts deflated, text as Type 0 fonts
// with a ToUnicode map, shown by Tj and TJ in the page's content and the forms it draws.
import { inflateSync } from 'node:zlib';

/** The PDF's objects: number → { dict, stream } (the stream inflated when deflated). */
function objects(pdf) {
  const text = pdf.toString('latin1');
  const found = new Map();
  const pattern = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  let match;
  while ((match = pattern.exec(text))) {
    const body = match[2];
    const at = body.search(/stream\r?\n/);
    if (at < 0) {
      found.set(Number(match[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, at);
    const start = match.index + match[0].indexOf(body) + at + body.slice(at).match(/stream\r?\n/)[0].length;
    const length = Number((dict.match(/\/Length (\d+)/) || [])[1]);
    let stream = pdf.subarray(start, start + length);
    if (/\/FlateDecode/.test(dict)) stream = inflateSync(stream);
    found.set(Number(match[1]), { dict, stream: stream.toString('latin1') });
  }
  return found;
}

/** A ToUnicode CMap as a map from glyph code (hex) to text. */
function cmap(source) {
  const map = new Map();
  const unicode = (hex) => String.fromCodePoint(...hex.match(/.{4}/g).map((h) => parseInt(h, 16)));
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, to] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      map.set(code.toUpperCase(), unicode(to));
    }
  }
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, low, high, to] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const width = low.length;
      for (let code = parseInt(low, 16), n = 0; code <= parseInt(high, 16); code++, n++) {
        const first = parseInt(to, 16) + n;
        map.set(code.toString(16).toUpperCase().padStart(width, '0'), String.fromCodePoint(first));
      }
    }
  }
  return map;
}

/** Named entries (`/Name 12 0 R`) of the sub-dictionary `key` of a dictionary. */
function named(dict, key) {
  const inner = dict.match(new RegExp(`/${key}\\s*<<([^>]*)>>`));
  return inner ? [...inner[1].matchAll(/\/([\w.+-]+)\s+(\d+) 0 R/g)].map((m) => [m[1], Number(m[2])]) : [];
}

/**
 * The PDF's pages, in order, each with its text runs (every Tj and TJ it shows, on the page and
 * in the forms it draws, in drawing order) and their text joined: what a reader's copy gives,
 * give or take white space.
 */
export function pdfPages(pdf) {
  const all = objects(pdf);
  const maps = new Map();
  const fontMap = (number) => {
    if (!maps.has(number)) {
      const font = all.get(number);
      const to = font && font.dict.match(/\/ToUnicode (\d+) 0 R/);
      maps.set(number, to ? cmap(all.get(Number(to[1])).stream) : new Map());
    }
    return maps.get(number);
  };
  // Text of a content stream drawn with the resources of `owner` (a page or a form).
  const textOf = (owner, content, seen) => {
    const fonts = new Map(named(owner.dict, 'Font').map(([name, n]) => [name, fontMap(n)]));
    const forms = new Map(named(owner.dict, 'XObject'));
    const runs = [];
    let font = new Map();
    const decode = (hex) => (hex.toUpperCase().match(/.{4}/g) || []).map((code) => font.get(code) ?? '').join('');
    const ops = /\/([\w.+-]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj|\[((?:[^\]])*)\]\s*TJ|\/([\w.+-]+)\s+Do/g;
    let op;
    while ((op = ops.exec(content))) {
      if (op[1]) font = fonts.get(op[1]) || new Map();
      else if (op[2] !== undefined) runs.push(decode(op[2]));
      else if (op[3] !== undefined) runs.push([...op[3].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => decode(m[1])).join(''));
      else if (op[4] && forms.has(op[4]) && !seen.has(forms.get(op[4]))) {
        const form = all.get(forms.get(op[4]));
        if (form && form.stream) runs.push(...textOf(form, form.stream, new Set([...seen, forms.get(op[4])])));
      }
    }
    return runs;
  };
  const catalog = [...all.values()].find((o) => /\/Type\s*\/Pages\b/.test(o.dict) && !/\/Parent/.test(o.dict));
  const kids = (pages) => [...pages.dict.match(/\/Kids\s*\[([^\]]*)\]/)[1].matchAll(/(\d+) 0 R/g)]
    .map((m) => all.get(Number(m[1])))
    .flatMap((kid) => (/\/Type\s*\/Pages\b/.test(kid.dict) ? kids(kid) : [kid]));
  return kids(catalog).map((page) => {
    const contents = [...(page.dict.match(/\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/) || ['', ''])[1].matchAll(/(\d+) 0 R/g)]
      .map((m) => all.get(Number(m[1])).stream)
      .join('\n');
    const runs = textOf(page, contents, new Set());
    return { runs, text: runs.join('') };
  });
}

/** How many page objects (`/Type /Page`, not the `/Pages` tree) a PDF holds. */
export function pageObjects(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

/** Text with all white space taken out and ligatures undone (ﬁ → fi), to compare a PDF's text
 * with the page's. */
export function squeezed(text) {
  return text.normalize('NFKC').replace(/\s+/g, '');
}
