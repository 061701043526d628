// Installed versions of the npm packages a stage imports (its direct externals), read from
// node_modules/<pkg>/package.json: upgrading a package reruns the stages that use it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MISSING_PACKAGE = 'not-installed';

export class PackageVersions {
  private readonly known = new Map<string, string>();

  constructor(private readonly root: string) {}

  version(name: string): string {
    let v = this.known.get(name);
    if (v === undefined) {
      try {
        const pkg = JSON.parse(readFileSync(join(this.root, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
        v = pkg.version ?? 'unknown';
      } catch {
        // An optional dependency that failed to install (e.g. tfjs-node-gpu here) is a fact too.
        v = MISSING_PACKAGE;
      }
      this.known.set(name, v);
    }
    return v;
  }

  versions(names: readonly string[]): Record<string, string> {
    return Object.fromEntries([...names].sort().map((n) => [n, this.version(n)]));
  }
}
