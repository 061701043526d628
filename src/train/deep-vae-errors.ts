// A NaN/Inf in the loss or the gradient ends the run: no metrics file may ever hold NaN.

export class NonFiniteTrainingError extends Error {
  constructor(
    readonly what: 'loss' | 'gradient',
    readonly step: number,
    readonly sigma2: number,
    readonly instance: string,
    readonly value: number,
  ) {
    super(
      `${instance}: non-finite ${what} (${value}) at step ${step} with σ² = ${sigma2.toPrecision(6)}` +
        (what === 'gradient' ? ' (largest |gradient| over all variables)' : ''),
    );
    this.name = 'NonFiniteTrainingError';
  }
}

/** A deep-VAE training param missing or out of range in pipeline.yaml. */
export class DeepVaeParamError extends Error {
  constructor(instance: string, problems: string[]) {
    super(`${instance}: pipeline.yaml params: ${problems.join('; ')}`);
    this.name = 'DeepVaeParamError';
  }
}
