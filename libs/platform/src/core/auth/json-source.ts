import { readFileSync } from 'node:fs';

/**
 * The JSON held by a variable that is either the JSON itself (starting with `{` or `[`) or the path of
 * a file containing it. Throws an Error whose message says what is wrong (unreadable file, bad JSON).
 */
export function readJsonSource(value: string): unknown {
  const text = value.trim();
  if (text.startsWith('{') || text.startsWith('[')) return parseJson(text, 'inline JSON');
  let content: string;
  try {
    content = readFileSync(text, 'utf8');
  } catch (error) {
    throw new Error(`cannot read file '${text}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseJson(content, `file '${text}'`);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}
