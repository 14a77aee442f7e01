// Docs stay true (house rule 10): every file or folder path a Markdown file names in
// backticks must exist — relative to the repository, to the Markdown file's folder, or to
// `src/` (module docs name each other's files as `store/…`). Hand-written because the rule is
// this project's own: what counts as a path is a backticked token ending in a file extension
// or a slash, with no spaces, wildcards or URL parts.
import { existsSync, globSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const EXTENSIONS = /\.(ts|tsx|js|mjs|json|md|sh|sql|tsv|csv|yml|yaml|html|css)$/;
const NOT_A_PATH = /[\s*{}<>$?=|]|:\/\/|^\/|^\.\.\.|^[A-Z][A-Za-z]+\//;

/** The backticked tokens of a Markdown text that look like file or folder paths. */
export function namedPaths(markdown: string): string[] {
  const tokens = [...markdown.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!.trim());
  return tokens.filter((token) => !NOT_A_PATH.test(token) && (EXTENSIONS.test(token) || token.endsWith('/')));
}

const ignored = /^(node_modules|data|dist|coverage|web\/dist)\//;
const tracked = globSync('**/*', { exclude: (name) => name === 'node_modules' || name === '.git' }).filter(
  (file) => !ignored.test(file),
);
const basenames = new Set(tracked.map((file) => file.split('/').at(-1)));
const modules = globSync('src/*/');

/**
 * A path resolves from the repository, the Markdown file's folder, `src/` or a module folder;
 * a bare file name (`token-grants.ts`, in a section about its folder) is found by name.
 */
function exists(path: string, markdownFile: string): boolean {
  const bare = path.replace(/^\.\//, '').replace(/\/$/, '');
  if (!bare.includes('/')) return basenames.has(bare);
  const bases = ['.', dirname(markdownFile), 'src', ...modules];
  return bases.some((base) => existsSync(join(base, bare)));
}

const files = globSync('**/*.md').filter((file) => !ignored.test(file));
const problems = files.flatMap((file) =>
  namedPaths(readFileSync(file, 'utf8'))
    .filter((path) => !exists(path, file))
    .map((path) => `${file}: names \`${path}\`, which does not exist`),
);
if (problems.length > 0) {
  console.error(`Docs name paths that do not exist:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`doc paths ok (${files.length} Markdown files)`);
