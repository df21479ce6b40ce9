/** The TensorFlow.js backends, in the order the automatic choice tries them (core/backend/select.ts loads them). */
export const BACKEND_CHOICES = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Backends that can train (the pure-JS cpu backend is refused for training). */
export type TrainingBackend = Exclude<BackendChoice, 'cpu'>;
export const TRAINING_BACKENDS = BACKEND_CHOICES.filter((b): b is TrainingBackend => b !== 'cpu');
