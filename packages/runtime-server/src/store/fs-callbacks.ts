// Promise wrappers over the callback fs API: on the hot path they are lighter than fs/promises
// (no FileHandle objects to create, track and garbage-collect for every small file).
import fs from 'node:fs';

const settle =
  <T>(resolve: (value: T) => void, reject: (err: unknown) => void) =>
  (err: NodeJS.ErrnoException | null, value?: T): void => {
    if (err) reject(err);
    else resolve(value as T);
  };

export const writeFile = (file: string, data: string, flag = 'w'): Promise<void> =>
  new Promise((resolve, reject) => fs.writeFile(file, data, { flag }, settle(resolve, reject)));

export const rename = (from: string, to: string): Promise<void> =>
  new Promise((resolve, reject) => fs.rename(from, to, settle(resolve, reject)));

export const unlink = (file: string): Promise<void> =>
  new Promise((resolve, reject) => fs.unlink(file, settle(resolve, reject)));

export const mkdir = (dir: string): Promise<void> =>
  new Promise((resolve, reject) => fs.mkdir(dir, (err) => settle(resolve, reject)(err)));

export const openFile = (file: string, flags: string): Promise<number> =>
  new Promise((resolve, reject) => fs.open(file, flags, settle(resolve, reject)));

export const closeFile = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fs.close(fd, settle(resolve, reject)));

/** Writes the whole buffer at the file's current position (append mode: at its end). */
export async function writeAll(fd: number, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    offset += await new Promise<number>((resolve, reject) =>
      fs.write(fd, buffer, offset, buffer.length - offset, null, settle(resolve, reject)),
    );
  }
}
