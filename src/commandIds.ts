/** Every command id in one place; package.json `contributes.commands` lists the same ids. */
export const Commands = {
  showCatalogInfo: 'sage200.showCatalogInfo',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
