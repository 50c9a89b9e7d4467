// Edit an item, then go back to the list; a missing item gets a not-found message.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import {
  itemsGetItemOptions,
  itemsListItemsQueryKey,
  itemsUpdateItemMutation,
} from "~/client/@tanstack/react-query.gen";
import { ItemForm } from "~/components/item-form";
import { Alert } from "~/components/ui/alert";
import { Card } from "~/components/ui/card";
import { errorMessage, isNotFound } from "~/lib/api-errors";
import { projectName } from "~/project";
import type { Route } from "./+types/_authenticated.items.$itemId.edit";

export function meta() {
  return [{ title: `Edit item · ${projectName}` }];
}

export default function EditItemPage({ params }: Route.ComponentProps) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const path = { item_id: params.itemId };
  const query = useQuery({ ...itemsGetItemOptions({ path }), retry: false });
  const update = useMutation(itemsUpdateItemMutation());

  return (
    <section className="grid grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold">Edit item</h1>
      {query.isPending ? (
        <p className="text-muted-foreground">Loading item…</p>
      ) : query.isError ? (
        <Alert variant="destructive">
          {isNotFound(query.error) ? "This item does not exist." : errorMessage(query.error)}{" "}
          <Link to="/" className="underline">
            Back to the items
          </Link>
        </Alert>
      ) : (
        <Card>
          <ItemForm
            submitLabel="Save changes"
            initialValues={{
              title: query.data.title,
              description: query.data.description ?? "",
              done: query.data.done ?? false,
            }}
            onSubmit={async (values) => {
              await update.mutateAsync({ path, body: values });
              await queryClient.invalidateQueries({ queryKey: itemsListItemsQueryKey() });
              await navigate("/");
            }}
          />
        </Card>
      )}
    </section>
  );
}
