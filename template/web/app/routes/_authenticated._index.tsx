// The item list: newest first, paginated by ?page=, with empty, loading and error states.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import type { ItemPublic } from "~/client";
import {
  itemsDeleteItemMutation,
  itemsListItemsOptions,
  itemsListItemsQueryKey,
} from "~/client/@tanstack/react-query.gen";
import { ConfirmButton } from "~/components/confirm-button";
import { Pagination } from "~/components/pagination";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { errorMessage } from "~/lib/api-errors";
import { cn } from "~/lib/utils";
import { projectName } from "~/project";

export const PAGE_SIZE = 10;

export function meta() {
  return [{ title: `Items · ${projectName}` }];
}

export default function ItemsPage() {
  const [searchParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(searchParams.get("page") ?? "1", 10) || 1);
  const query = useQuery(
    itemsListItemsOptions({ query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } }),
  );

  return (
    <section className="grid grid-cols-1 gap-6">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">Items</h1>
        <Button asChild>
          <Link to="/items/new">New item</Link>
        </Button>
      </div>
      {query.isPending ? (
        <p className="text-muted-foreground">Loading items…</p>
      ) : query.isError ? (
        <Alert variant="destructive">
          Could not load the items: {errorMessage(query.error)}{" "}
          <Button variant="link" onClick={() => query.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : query.data.total === 0 ? (
        <Card className="text-center text-muted-foreground">
          <p>No items yet.</p>
          <Link to="/items/new" className="mt-2 inline-block underline">
            Create the first one
          </Link>
        </Card>
      ) : (
        <>
          <ul className="grid grid-cols-1 gap-3" aria-label="Items">
            {query.data.items.map((item) => (
              <ItemRow key={item.id} item={item} />
            ))}
          </ul>
          <Pagination page={page} total={query.data.total} pageSize={PAGE_SIZE} />
        </>
      )}
    </section>
  );
}

function ItemRow({ item }: { item: ItemPublic }) {
  const queryClient = useQueryClient();
  const deletion = useMutation({
    ...itemsDeleteItemMutation(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: itemsListItemsQueryKey() }),
  });
  return (
    <li>
      <Card className="flex items-start justify-between gap-4 p-4">
        <div className="min-w-0 flex-1">
          <p
            className={cn(
              "font-medium break-words",
              item.done && "text-muted-foreground line-through",
            )}
          >
            {item.title}
          </p>
          {item.description && (
            <p className="mt-1 text-sm break-words text-muted-foreground">{item.description}</p>
          )}
          {deletion.isError && (
            <p className="mt-1 text-sm text-destructive">{errorMessage(deletion.error)}</p>
          )}
        </div>
        <div className="flex shrink-0 gap-2">
          <Button variant="outline" size="sm" asChild>
            <Link to={`/items/${item.id}/edit`} aria-label={`Edit ${item.title}`}>
              Edit
            </Link>
          </Button>
          <ConfirmButton
            label="Delete"
            accessibleName={`Delete ${item.title}`}
            variant="ghost"
            title={`Delete “${item.title}”?`}
            description="This cannot be undone."
            onConfirm={() => deletion.mutate({ path: { item_id: item.id } })}
          />
        </div>
      </Card>
    </li>
  );
}
