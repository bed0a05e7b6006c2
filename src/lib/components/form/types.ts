import type { Snippet } from "svelte";

/** One radio or checkbox in a Radios or Checkboxes group. */
export interface ChoiceItem {
  value: string;
  label: string;
  /** The input's id; by default the group's id for the first item (so an error summary link lands on it), else `${id}-${value}`. */
  id?: string;
  /** Quieter text after the label, e.g. a child's school. */
  secondary?: string;
  /** The label's language and direction, when it is in a language of its own (a language's own name). */
  lang?: string;
  dir?: "ltr" | "rtl";
  hint?: string;
  /** Checkboxes: whether this one is ticked. Radios use the group's `value` unless this is given. */
  checked?: boolean;
  /** Follow-up questions for this choice, shown under it (always visible, so they work without JavaScript). */
  conditional?: Snippet;
}

export interface ChoicesProps {
  /** Names the hint (`${id}-hint`) and error (`${id}-error`), and is the first choice's id by default. */
  id: string;
  /** Defaults to `id`. */
  name?: string;
  /** The legend's words, or its markup (e.g. a page heading inside it). */
  legend: string | Snippet;
  /** `legend` (a question's heading) or `label` (smaller, as on staff pages). */
  legendClass?: string;
  hint?: string;
  error?: string;
  /** Mark the group as in error; by default when there is an error message. */
  invalid?: boolean;
  /** An id for the fieldset itself, when an error summary links to the whole group. */
  fieldsetId?: string;
  items: ChoiceItem[];
  /** Radios: the chosen value. */
  value?: string | null;
}

/** aria-describedby for a question: its hint, then its error, when present. */
export function describedBy(
  id: string,
  hint: unknown,
  error: unknown,
): string | undefined {
  return (
    [hint ? `${id}-hint` : "", error ? `${id}-error` : ""]
      .filter(Boolean)
      .join(" ") || undefined
  );
}
