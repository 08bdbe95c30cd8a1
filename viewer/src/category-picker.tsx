import type { Ref } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { LeafPath } from '../../src/audit/category-paths.js';

/**
 * The taxonomy's leaves as a tree to choose from: grouped under their top-level category, filtered by typing.
 * Keyboard: type to filter, ↑/↓ to move, Enter to choose, Esc to leave.
 */
export function CategoryPicker({
  categories,
  chosen,
  onPick,
  inputRef,
}: {
  categories: LeafPath[];
  chosen?: string[];
  onPick: (leaf: LeafPath) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const [filter, setFilter] = useState('');
  const [cursor, setCursor] = useState(0);
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle ? categories.filter((c) => c.label.toLowerCase().includes(needle)) : categories;
  }, [categories, filter]);
  const chosenKey = chosen?.join('\u0000');
  const at = Math.min(cursor, Math.max(0, shown.length - 1));
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setCursor(Math.max(0, Math.min(shown.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      if (shown[at]) {
        onPick(shown[at]);
        (e.target as HTMLInputElement).blur();
      }
    } else if (e.key === 'Escape') {
      (e.target as HTMLInputElement).blur();
    }
  };
  let lastTop = '';
  return (
    <div class="picker">
      <input
        ref={inputRef}
        type="search"
        class="picker-filter"
        placeholder="Filter categories (press c)"
        aria-label="Filter categories"
        value={filter}
        onInput={(e) => {
          setFilter((e.target as HTMLInputElement).value);
          setCursor(0);
        }}
        onKeyDown={onKey}
      />
      <ul class="picker-tree" aria-label="Categories">
        {shown.map((c, i) => {
          const heading = c.names[0] !== lastTop ? c.names[0] : undefined;
          lastTop = c.names[0];
          const isChosen = c.ids.join('\u0000') === chosenKey;
          return (
            <li key={c.label}>
              {heading !== undefined && c.names.length > 1 && <div class="picker-top">{heading}</div>}
              <button
                type="button"
                class={`picker-leaf${i === at ? ' cursor' : ''}${isChosen ? ' chosen' : ''}${c.names.length > 1 ? ' nested' : ''}`}
                data-leaf={c.label}
                tabIndex={-1}
                aria-pressed={isChosen}
                onClick={() => onPick(c)}
              >
                {c.names.length > 1 ? c.names.slice(1).join(' › ') : c.names[0]}
              </button>
            </li>
          );
        })}
        {shown.length === 0 && <li class="muted">No category matches.</li>}
      </ul>
    </div>
  );
}
