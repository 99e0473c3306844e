// The order of the heat map's rows: average-linkage agglomerative clustering (UPGMA) on the cosine
// similarities, read off as the order of its leaves. Sentences that mean the same merge first, so
// they end up next to each other. When two clusters merge, each may be flipped so that the two most
// similar ends meet (a greedy form of optimal leaf ordering).

/** A permutation of 0..n-1 for the n×n similarity matrix `sim`. */
export function clusterOrder(sim) {
  let clusters = sim.map((_, i) => [i]);
  while (clusters.length > 1) {
    const [a, b] = closestPair(clusters, sim);
    const merged = join(clusters[a], clusters[b], sim);
    clusters = clusters.filter((_, k) => k !== a && k !== b);
    clusters.splice(Math.min(a, clusters.length), 0, merged);
  }
  return clusters[0] ?? [];
}

function closestPair(clusters, sim) {
  let best = -Infinity;
  let pair = [0, 1];
  for (let a = 0; a < clusters.length; a++) {
    for (let b = a + 1; b < clusters.length; b++) {
      const linkage = averageSimilarity(clusters[a], clusters[b], sim);
      if (linkage > best) {
        best = linkage;
        pair = [a, b];
      }
    }
  }
  return pair;
}

function averageSimilarity(left, right, sim) {
  let sum = 0;
  for (const i of left) {
    for (const j of right) {
      sum += sim[i][j];
    }
  }
  return sum / (left.length * right.length);
}

/** left + right, each possibly reversed, whichever puts the most similar pair at the seam. */
function join(left, right, sim) {
  const options = [
    [left, right],
    [left, [...right].reverse()],
    [[...left].reverse(), right],
    [[...left].reverse(), [...right].reverse()],
  ];
  let best = options[0];
  for (const option of options) {
    if (seam(option, sim) > seam(best, sim)) {
      best = option;
    }
  }
  return [...best[0], ...best[1]];
}

function seam([left, right], sim) {
  return sim[left[left.length - 1]][right[0]];
}
