/**
 * Lines of a file or of standard input, read as a stream: memory stays constant whatever the
 * input's size. A line longer than MAX_LINE_CHARS is passed on cut (it cannot be a URL, and
 * is reported as invalid) while the rest of it is skipped unread into memory. A NUL byte means
 * the input is binary, not a text list: that stops the command with a clear error instead of
 * reading /dev/zero forever.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CommandFailedError } from '../errors.ts';

/**
 * Characters of one line kept: longer than any URL accepted (2,048 characters) by far, so a
 * real line is never cut, and still small.
 */
export const MAX_LINE_CHARS = 16 * 1024;

/** The input is not text (it has NUL bytes): a binary file, a disk image, /dev/zero. */
export class BinaryInputError extends CommandFailedError {}

export async function* streamLines(chunks: AsyncIterable<Buffer | string>, sourceName: string): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let current = '';
  let overlong = false;
  let offset = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const nul = bytes.indexOf(0);
    if (nul !== -1) {
      throw new BinaryInputError(`${sourceName} is binary (a NUL byte at offset ${offset + nul}), not a list of URLs, one per line`);
    }
    offset += bytes.length;
    const text = decoder.write(bytes);
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const piece = text.slice(start, newline === -1 ? text.length : newline);
      if (!overlong) {
        current += piece;
        if (current.length > MAX_LINE_CHARS) {
          current = current.slice(0, MAX_LINE_CHARS);
          overlong = true;
        }
      }
      if (newline === -1) break;
      yield current.endsWith('\r') ? current.slice(0, -1) : current;
      current = '';
      overlong = false;
      start = newline + 1;
    }
  }
  current += decoder.end();
  if (current !== '') yield current.endsWith('\r') ? current.slice(0, -1) : current;
}

/** Lines of a file ("-" is standard input). */
export function fileLines(path: string, stdin: NodeJS.ReadableStream = process.stdin): AsyncGenerator<string> {
  if (path === '-') return streamLines(stdin as AsyncIterable<Buffer>, 'standard input');
  return streamLines(readFileChunks(path), path);
}

async function* readFileChunks(path: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(path);
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CommandFailedError(`cannot read ${path}: ${code === 'EISDIR' ? 'it is a folder, not a file' : (code ?? (error as Error).message)}`);
  } finally {
    stream.destroy();
  }
}
