/**
 * Where the loader reads files from. The working tree and a git revision (the base branch of a
 * pull request) are read the same way, so both sides of a diff go through one front end.
 */
export interface FileEntry {
  /** Repository-relative path with forward slashes, e.g. `policies/shop/db.yaml`. */
  readonly path: string;
  readonly size: number;
}

export interface FileSource {
  /** Human name for messages: `working tree`, `origin/main (3f2c1a9)`. */
  readonly label: string;
  /**
   * Every regular file under `dir` (repository-relative), recursively, in any order (the loader
   * sorts). Throws UserError for a missing folder or a symlink that leads out of the repository.
   */
  list(dir: string): Promise<FileEntry[]>;
  read(path: string): Promise<Buffer>;
  /**
   * The git blob id of a file `list` returned, when the source knows it without reading the file
   * (a git revision does); undefined otherwise. Equal ids mean equal bytes.
   */
  blobId?(path: string): string | undefined;
  /**
   * The caller is about to read these files (it still calls `read` for each): a source may fetch
   * them ahead in one go. Optional; a source that does nothing with it reads on demand.
   */
  prefetch?(paths: readonly string[]): void;
}
