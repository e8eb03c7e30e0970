// Text helpers with deliberate ESLint problems (see eslint.config.js).

export function slugify(text) {
  var out = '';                       // no-var (warning)
  for (const ch of text.toLowerCase()) {
    if (/[a-z0-9]/.test(ch)) {
      out += ch;
    } else if (out.length && out[out.length - 1] != '-') { // eqeqeq (error)
      out += '-';
    }
  }
  return out.replace(/^-+|-+$/g, '');
}

export function truncate(text, width, ellipsis = '...') {
  let unused = width * 2;             // no-unused-vars (error); prefer-const (error)
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width <= ellipsis.length) return ellipsis.slice(0, width);
  return text.slice(0, width - ellipsis.length) + ellipsis;
}

export function wordCount(text) {
  console.log('counting words');      // no-console (warning)
  return text.split(/\s+/).filter(Boolean).length;
}

export function debugDump(value) {
  // eslint-disable-next-line no-console
  console.log(value);                 // suppressed: absent from -f json, present (suppressed) in SARIF
  return JSON.stringify(value);
}

export function parseAmount(text) {
  if (text == null) return 0;         // eqeqeq (error) — "null" option is not allowed
  return Number(text);
}
