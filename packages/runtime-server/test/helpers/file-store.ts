// A FileRunStore over a fresh temp trace dir, for each test of the store's suites.
import { rm } from 'node:fs/promises';
import { FileRunStore, type FileRunStoreOptions } from '../../src/index.js';
import { tempDir } from './server.js';

/** Both writers every store suite runs against. */
export const WRITERS = ['thread', 'pool'] as const;

export interface OpenStore {
  dir: string;
  store: FileRunStore;
}

export async function openFileStore(writer: FileRunStoreOptions['writer']): Promise<OpenStore> {
  const dir = await tempDir();
  const store = new FileRunStore({ traceDir: dir, writer });
  await store.init();
  return { dir, store };
}

/** Waits for the store's writes, then removes its trace dir. */
export async function closeFileStore({ dir, store }: OpenStore): Promise<void> {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
