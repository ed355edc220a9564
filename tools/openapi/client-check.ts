// Compiled against the client types that openapi-typescript generates (out/gdm-api.ts): a job's result must be typed
// by its kind, and the operations' requests and answers by their schemas. A document that loses those types fails here.
import type { components, paths } from './out/gdm-api';

type JobView = components['schemas']['JobView'];

export function reconstructionPsnr(job: JobView): number | undefined {
  if (job.kind === 'encode') return job.result?.reconstructionPsnrDb;
  return undefined;
}

export function firstRecipe(job: JobView): components['schemas']['RecipeDocument'] | undefined {
  switch (job.kind) {
    case 'samples':
    case 'variations':
    case 'mix':
    case 'interpolate':
    case 'traverse':
      return job.result?.images?.[0]?.recipe;
    case 'encode':
      return job.result?.recipe;
    case 'levels':
      return undefined;
  }
}

type ReadRecipe = paths['/v1/recipes/read']['post'];
export const readRequest: ReadRecipe['requestBody'] extends { content: { 'application/json': infer B } } ? B : never = {
  image: { base64: 'iVBORw0KGgo=', background: 'keep' },
};
