// tfjs's Adam (its update rule, bias correction and state) applied to groups of variables with
// their own learning-rate multipliers, under one settable base rate (for a decay schedule).
// Why groups: in the linear VAE the encoder V scales like 1/x while the decoder W scales like x,
// so on logit-MNIST V's entries are ~10³ times smaller than W's; one shared Adam rate either
// crawls on W or makes V oscillate.
import * as tf from '@tensorflow/tfjs-core';

export interface VariableGroup {
  vars: tf.Variable[];
  /** Multiplier on the base learning rate for this group. */
  rateScale: number;
}

/** tfjs's Adam whose learning rate can change between steps (for a decay schedule). */
export class SettableAdam extends tf.AdamOptimizer {
  setLearningRate(rate: number): void {
    this.learningRate = rate;
  }
}

export class GroupedAdam {
  private readonly optimizers: SettableAdam[];
  private readonly groups: VariableGroup[];

  constructor(groups: VariableGroup[], beta1 = 0.9, beta2 = 0.999) {
    this.groups = groups.filter((g) => g.vars.some((v) => v.trainable));
    this.optimizers = this.groups.map(() => new SettableAdam(1, beta1, beta2));
  }

  /** One update of every trainable variable with base rate `rate`; returns the loss when asked. */
  step(loss: () => tf.Scalar, rate: number, returnLoss: boolean): number | null {
    let out: number | null = null;
    tf.tidy(() => {
      const vars = this.groups.flatMap((g) => g.vars.filter((v) => v.trainable));
      const { value, grads } = tf.variableGrads(loss, vars);
      this.groups.forEach((g, i) => {
        const own = g.vars.filter((v) => v.trainable).map((v) => ({ name: v.name, tensor: grads[v.name] }));
        this.optimizers[i].setLearningRate(rate * g.rateScale);
        this.optimizers[i].applyGradients(own);
      });
      if (returnLoss) out = value.dataSync()[0];
    });
    return out;
  }

  dispose(): void {
    for (const o of this.optimizers) o.dispose();
  }
}
