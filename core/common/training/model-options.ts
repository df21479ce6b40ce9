/** The backbone and freezing choices a run can make (core/models and core/training/freeze.ts build them). */

/** torchvision's ResNet depths, and ResNet-10 (a BasicBlock net with one block per stage) for CPU-sized runs. */
export const RESNET_DEPTHS = [10, 18, 34, 50] as const;
export type ResNetDepth = (typeof RESNET_DEPTHS)[number];

/** The sensors that have a 1x1 input block (S1: VV, VH; S2: its 10 bands). */
export const BLOCK_SENSORS = ['s1', 's2'] as const;
export type BlockSensor = (typeof BLOCK_SENSORS)[number];

/**
 * What finetuning leaves untrained. linear: everything but `fc` (a linear probe). stage-K: the
 * input blocks, the stem (conv1, bn1) and layer1..K. Frozen parts run as in inference, as
 * PyTorch's `.eval()` on them: their BatchNorms normalise with the running statistics and keep
 * them, so a frozen part computes exactly what it computed before training.
 */
export const FREEZE_MODES = ['none', 'linear', 'stage-1', 'stage-2', 'stage-3', 'stage-4'] as const;
export type FreezeMode = (typeof FREEZE_MODES)[number];
