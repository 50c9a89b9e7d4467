// Delete the account and its items, after a confirmation that asks for the password.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { accountDeleteAccountMutation } from "~/client/@tanstack/react-query.gen";
import { zAccountDeletion } from "~/client/zod.gen";
import { ApiForm, SubmitButton } from "~/components/api-form";
import { FormField } from "~/components/form-field";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "~/components/ui/alert-dialog";
import { Button } from "~/components/ui/button";
import { useApiForm } from "~/lib/forms";

export function DeleteAccount() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const deletion = useMutation(accountDeleteAccountMutation());
  const form = useApiForm(zAccountDeletion, async (body) => {
    await deletion.mutateAsync({ body });
    await navigate("/signup", { replace: true, state: { deleted: true } });
    queryClient.clear();
  });

  return (
    <section aria-labelledby="delete-heading" className="grid grid-cols-1 gap-3">
      <h2 id="delete-heading" className="text-lg font-semibold">
        Delete account
      </h2>
      <p className="text-sm text-muted-foreground">
        Deletes your account and all your items. This cannot be undone.
      </p>
      <AlertDialog open={open} onOpenChange={setOpen}>
        <AlertDialogTrigger asChild>
          <Button variant="destructive" className="justify-self-start">
            Delete account…
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogTitle>Delete your account?</AlertDialogTitle>
          <AlertDialogDescription>
            Your account and all your items are deleted for good. Enter your password to confirm.
          </AlertDialogDescription>
          <ApiForm state={form} className="grid grid-cols-1 gap-4">
            <FormField
              name="password"
              label="Password"
              type="password"
              autoComplete="current-password"
              error={form.errors.password}
            />
            <AlertDialogFooter>
              <AlertDialogCancel type="button">Cancel</AlertDialogCancel>
              <SubmitButton state={form} busy="Deleting…" variant="destructive">
                Delete my account
              </SubmitButton>
            </AlertDialogFooter>
          </ApiForm>
        </AlertDialogContent>
      </AlertDialog>
    </section>
  );
}
