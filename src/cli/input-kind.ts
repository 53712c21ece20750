/**
 * What a file given to `extract` or `import` holds, judged from its first bytes: an HTML page,
 * plain text, binary data (an executable, an image, a disk image), or nothing. Pure.
 */

export type InputKind = 'html' | 'text' | 'binary' | 'empty';

/** Bytes looked at: a page's doctype and first tags, a binary header, are all near the start. */
const SNIFF_BYTES = 8 * 1024;

/**
 * Share of control bytes (other than tab, newline, carriage return, form feed) above which the
 * content is binary: text has none, executables and images have them everywhere.
 */
const BINARY_CONTROL_SHARE = 0.01;

/** Tags that mark HTML rather than text, near the start. */
const HTML_MARKER = /<(?:!doctype\s+html|html|head|body|meta|title)\b/i;

export function inputKind(bytes: Uint8Array): InputKind {
  const head = bytes.subarray(0, SNIFF_BYTES);
  let control = 0;
  let visible = 0;
  for (const byte of head) {
    if (byte === 0) return 'binary';
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control += 1;
    else if (byte > 0x20) visible += 1;
  }
  if (visible === 0) return 'empty';
  if (control > head.length * BINARY_CONTROL_SHARE) return 'binary';
  const text = Buffer.from(head).toString('latin1');
  return HTML_MARKER.test(text) ? 'html' : 'text';
}
