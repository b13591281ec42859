/**
 * A FileSource that remembers what went through it: each folder is listed once (a second `list`
 * answers the first listing) and the git blob id of every file read is kept. A render stamps its
 * output with the files it compiled (src/render/stamp.ts); reading the folder again to describe
 * them could meet files edited in between, so the description is taken from this record instead.
 */
import { gitBlobId } from '../git/blob-id.js';
import type { FileEntry, FileSource } from './file-source.js';

export class RecordingSource implements FileSource {
  readonly label: string;
  private readonly listings = new Map<string, Promise<FileEntry[]>>();
  private readonly blobs = new Map<string, string>();

  constructor(private readonly inner: FileSource) {
    this.label = inner.label;
  }

  list(dir: string): Promise<FileEntry[]> {
    let listing = this.listings.get(dir);
    if (listing === undefined) {
      listing = this.inner.list(dir);
      this.listings.set(dir, listing);
    }
    return listing.then((entries) => [...entries]);
  }

  async read(file: string): Promise<Buffer> {
    const bytes = await this.inner.read(file);
    this.blobs.set(file, this.inner.blobId?.(file) ?? gitBlobId(bytes));
    return bytes;
  }

  prefetch(paths: readonly string[]): void {
    this.inner.prefetch?.(paths);
  }

  blobId(file: string): string | undefined {
    return this.blobs.get(file) ?? this.inner.blobId?.(file);
  }
}
