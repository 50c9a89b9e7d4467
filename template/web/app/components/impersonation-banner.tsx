// Shown on every page while an admin acts as another user ("log in as"), with the way back.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { impersonationReturnToAdminMutation } from "~/client/@tanstack/react-query.gen";
import { Button } from "~/components/ui/button";
import { errorMessage } from "~/lib/api-errors";
import { useAccount } from "~/lib/session";

export function ImpersonationBanner() {
  const account = useAccount();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const returnToAdmin = useMutation({
    ...impersonationReturnToAdminMutation(),
    onSuccess: async () => {
      const userId = account.data?.id;
      queryClient.clear(); // nothing of the user's account stays in memory
      await navigate(userId ? `/admin/users/${userId}` : "/admin", { replace: true });
    },
  });
  const impersonator = account.data?.impersonator;
  if (!account.data || !impersonator) return null;
  return (
    <div
      role="status"
      aria-label="Impersonation"
      className="border-b border-amber-300 bg-amber-100 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <div className="mx-auto flex max-w-3xl flex-wrap items-center gap-3 px-4 py-2 text-sm">
        <p className="min-w-0 break-words">
          You are acting as <strong>{account.data.email}</strong> (you are {impersonator.email}).
          What you do here, you do as them.
        </p>
        <Button
          size="sm"
          className="ml-auto"
          disabled={returnToAdmin.isPending}
          onClick={() => returnToAdmin.mutate({})}
        >
          Return to admin
        </Button>
        {returnToAdmin.isError && (
          <p className="w-full text-destructive">{errorMessage(returnToAdmin.error)}</p>
        )}
      </div>
    </div>
  );
}
