// Create an item, then go back to the list.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import {
  itemsCreateItemMutation,
  itemsListItemsQueryKey,
} from "~/client/@tanstack/react-query.gen";
import { ItemForm } from "~/components/item-form";
import { Card } from "~/components/ui/card";
import { projectName } from "~/project";

export function meta() {
  return [{ title: `New item · ${projectName}` }];
}

export default function NewItemPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const creation = useMutation(itemsCreateItemMutation());
  return (
    <section className="grid grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold">New item</h1>
      <Card>
        <ItemForm
          submitLabel="Create item"
          onSubmit={async (values) => {
            await creation.mutateAsync({ body: values });
            await queryClient.invalidateQueries({ queryKey: itemsListItemsQueryKey() });
            await navigate("/");
          }}
        />
      </Card>
    </section>
  );
}
