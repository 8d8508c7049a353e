/**
 * Debian's Chromium, as every browser test here launches it. The flags keep it off the network
 * (this machine has none but the package registries) and off the GPU.
 */
export const CHROMIUM = process.env.SAGE200_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
