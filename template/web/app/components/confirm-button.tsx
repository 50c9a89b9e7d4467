// A button that asks before it acts: deleting an item and every admin action on a user go through one.
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "~/components/ui/alert-dialog";
import { Button } from "~/components/ui/button";

export function ConfirmButton({
  label,
  accessibleName,
  title,
  description,
  disabled,
  variant = "outline",
  onConfirm,
}: {
  label: string;
  /** The trigger's name for assistive technology where `label` alone is ambiguous (one per row). */
  accessibleName?: string;
  title: string;
  description: string;
  disabled?: boolean;
  variant?: "outline" | "destructive" | "ghost";
  onConfirm: () => void;
}) {
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant={variant} size="sm" disabled={disabled} aria-label={accessibleName}>
          {label}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogTitle>{title}</AlertDialogTitle>
        <AlertDialogDescription>{description}</AlertDialogDescription>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction onClick={onConfirm}>{label}</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
