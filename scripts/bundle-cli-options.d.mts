import type { Plugin } from 'esbuild';

export declare const external: string[];
export declare const englishOnlyZodLocales: Plugin;
