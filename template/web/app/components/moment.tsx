// A date or time as a `<time>` element: machine-readable, and masked in the tests' screenshots.

export function Moment({ value, format }: { value: string; format: Intl.DateTimeFormat }) {
  return <time dateTime={value}>{format.format(new Date(value))}</time>;
}
