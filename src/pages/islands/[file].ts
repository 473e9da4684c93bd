import type { APIRoute, GetStaticPaths } from 'astro';
import { getIsland, islandNames } from '../../lib/islands';

export const getStaticPaths = (async () =>
  Promise.all(
    islandNames.map(async (name) => {
      const island = await getIsland(name);
      return { params: { file: island.file }, props: { code: island.code } };
    }),
  )) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) =>
  new Response(props.code as string, {
    headers: { 'Content-Type': 'text/javascript; charset=utf-8' },
  });
