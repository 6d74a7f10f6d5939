import { CliIo } from '../lib/io';

export interface MemoryIo extends CliIo {
  out: string;
  err: string;
  files: Record<string, string>;
}

/** An in-memory {@link CliIo}: files from a map, output collected. */
export function memoryIo(
  files: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
): MemoryIo {
  const io: MemoryIo = {
    out: '',
    err: '',
    files,
    env,
    stdout(text) {
      io.out += text;
    },
    stderr(text) {
      io.err += text;
    },
    async readFile(path) {
      if (!Object.prototype.hasOwnProperty.call(io.files, path)) {
        throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), {
          code: 'ENOENT',
        });
      }
      return io.files[path];
    },
  };
  return io;
}
