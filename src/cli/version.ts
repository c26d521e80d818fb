// The version is inlined by esbuild from package.json at bundle time (JSON imports are bundled).
import packageJson from '../../package.json';

export const version: string = packageJson.version;
