/** Origins for hand-built model objects in unit tests (the loader makes real ones). */
import type { Position } from '../../src/diagnostics.js';
import type { Origin, Path, SourceDocument } from '../../src/model/source.js';

export function fakeDocument(file = 'policies/test.yaml', line = 1): SourceDocument {
  const position = (): Position => ({ file, line, col: 1 });
  return { file, index: 0, position, keyPosition: position };
}

export function fakeOrigin(path: Path = [], file = 'policies/test.yaml'): Origin {
  return { doc: fakeDocument(file), root: [], path };
}
