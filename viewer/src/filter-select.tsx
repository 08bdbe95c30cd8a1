/** A labelled drop-down that narrows a view to one value, or to none ("All …"). */
export function FilterSelect({
  label,
  ariaLabel = label,
  value,
  allLabel,
  options,
  onChange,
}: {
  label: string;
  ariaLabel?: string;
  value: string | undefined;
  /** The first option, meaning no filter. */
  allLabel: string;
  options: readonly string[];
  onChange: (value: string | undefined) => void;
}) {
  return (
    <label>
      {label}
      <select value={value ?? ''} aria-label={ariaLabel} onChange={(e) => onChange((e.target as HTMLSelectElement).value || undefined)}>
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
