// Names the file system under a directory, so results say what the file store wrote to: the
// kernel's cost of creating small files differs by an order of magnitude between, say, ext4 on a
// virtual disk and tmpfs, and it is part of every file-store figure.
import { statfs } from 'node:fs/promises';

const MAGIC: Record<number, string> = {
  0xef53: 'ext2/3/4',
  0x01021994: 'tmpfs',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x794c7630: 'overlayfs',
  0x6969: 'nfs',
  0x2fc12fc1: 'zfs',
  0x65735546: 'fuse',
  0xf15f: 'ecryptfs',
};

export async function filesystemOf(dir: string): Promise<string> {
  try {
    const { type } = await statfs(dir);
    return MAGIC[type] ?? `0x${type.toString(16)}`;
  } catch {
    return 'unknown';
  }
}
