// Any URL the app does not know.
import { Link } from "react-router";
import { projectName } from "~/project";

export function meta() {
  return [{ title: `Page not found · ${projectName}` }];
}

export default function NotFoundPage() {
  return (
    <section className="grid grid-cols-1 gap-3">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-muted-foreground">There is nothing at this address.</p>
      <Link to="/" className="underline">
        Back to the items
      </Link>
    </section>
  );
}
