// Class-name helper of shadcn/ui: conditional classes with Tailwind conflicts resolved.
import { type ClassValue, clsx } from "clsx";
import { twMerge } from "tailwind-merge";

export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}
