/**
 * The tool's name and version, as written into every snapshot's `generator` field. Kept as
 * constants (not read from package.json at run time) so the bundled GitHub Actions carry them;
 * test/version.test.ts fails when they drift from package.json.
 */
export const PACKAGE_NAME = 'contrail-gitops';
export const PACKAGE_VERSION = '0.1.0';
export const GENERATOR = `${PACKAGE_NAME} ${PACKAGE_VERSION}`;
