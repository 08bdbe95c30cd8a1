/**
 * Tolerant JSON extraction for judges that answer in prose: servers without JSON-schema support,
 * and models that wrap their answer in code fences or add a sentence before it.
 */
export type Extracted = { ok: true; value: unknown } | { ok: false; error: string };

function tryParse(text: string): Extracted {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** Removes commas that directly precede a closing bracket, outside of strings. */
export function dropTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] === '}' || text[j] === ']') continue;
    }
    out += ch;
  }
  return out;
}

/** The balanced {...} (or [...]) that starts at `start`, or undefined when it never closes. */
function balancedFrom(text: string, start: number): string | undefined {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return undefined;
      if (stack.length === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}

function parseLenient(text: string): Extracted {
  const direct = tryParse(text);
  if (direct.ok) return direct;
  const repaired = tryParse(dropTrailingCommas(text));
  return repaired.ok ? repaired : direct;
}

/** Tries, in order: the whole text, each fenced code block, then each balanced object in the text. */
export function extractJson(raw: string): Extracted {
  // Reasoning models served locally often prefix their answer with a <think> block.
  const text = raw
    .replace(/^\uFEFF/, '')
    .replace(/<think>[\s\S]*?<\/think>/gi, '')
    .trim();
  if (!text) return { ok: false, error: 'the answer was empty' };
  const whole = parseLenient(text);
  if (whole.ok) return whole;

  for (const fence of text.matchAll(/```[a-zA-Z0-9_-]*\s*\n?([\s\S]*?)```/g)) {
    const inFence = parseLenient(fence[1].trim());
    if (inFence.ok) return inFence;
  }

  const maxStarts = 50;
  let tried = 0;
  for (let i = 0; i < text.length && tried < maxStarts; i++) {
    if (text[i] !== '{') continue;
    tried++;
    const candidate = balancedFrom(text, i);
    if (!candidate) continue;
    const parsed = parseLenient(candidate);
    if (parsed.ok) return parsed;
  }
  return { ok: false, error: `no JSON object found in the answer (${whole.error})` };
}
