// Previous / "Page n of m" / Next for a list paginated by ?page=; nothing when one page holds it all.
import { Link } from "react-router";

export function Pagination({
  page,
  total,
  pageSize,
  pageLink = (to) => `?page=${to}`,
}: {
  page: number;
  total: number;
  pageSize: number;
  /** The link to another page; keep the list's other search parameters (its filters) in it. */
  pageLink?: (page: number) => string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages === 1) return null;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between text-sm">
      {page > 1 ? (
        <Link to={pageLink(page - 1)} className="underline">
          Previous
        </Link>
      ) : (
        <span />
      )}
      <span className="text-muted-foreground">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link to={pageLink(page + 1)} className="underline">
          Next
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
