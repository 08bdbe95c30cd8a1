/**
 * How texts from data enter a prompt. A template delimits data with its own tags (`<input>`,
 * `<model_output>`, `<error_titles>`…); data may neither close nor open one of them, or a model output
 * holding "</model_output>" followed by instructions would escape its block. `asData` gives such a tag
 * a look-alike bracket; every string variable of every judge request passes through it (requestFor).
 */
export function asData(text: string, tags: readonly string[]): string {
  if (tags.length === 0) return text;
  return text.replace(new RegExp(`<(\\/?)(${tags.join('|')})\\b`, 'gi'), '‹$1$2');
}

/** The tag names a template uses to delimit data, sorted. */
export function tagsOf(...templateTexts: string[]): string[] {
  const tags = new Set<string>();
  for (const text of templateTexts) for (const m of text.matchAll(/<\/?([a-z][a-z0-9_]*)/gi)) tags.add(m[1].toLowerCase());
  return [...tags].sort();
}

/**
 * A value written as a JSON string (quotes and newlines stay inside it) with every `<` as \u003c, so
 * list items (titles, category names) never contain a tag at all. Still valid JSON, same text decoded.
 */
export function promptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}
