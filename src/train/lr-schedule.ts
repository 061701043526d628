// Learning-rate schedule of the deep-VAE sweep: cosine decay from `lr` at the first step to
// `finalLr` at the last. Why decay at all: Adam's step is ~lr per weight whatever the gradient,
// so at a constant rate the encoder heads of unused latents keep jittering at ~lr and their KL
// never settles below the (ε = 0.01) collapse threshold; why cosine rather than geometric: it
// stays near `lr` for the first half, where the latents are being sorted into used and unused.

/** The rate for 1-based `step` of `steps`; `finalLr === lr` gives a constant rate. */
export function cosineLearningRate(step: number, steps: number, lr: number, finalLr: number): number {
  if (steps <= 1) return lr;
  const progress = Math.min(Math.max((step - 1) / (steps - 1), 0), 1);
  return finalLr + (lr - finalLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
