package io.embedserve.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's inputs with repeats folded: the same token ids are computed once and every position
 * that holds them gets that one vector. Besides saving the work, this keeps repeats bit-identical:
 * a GEMM may round a row differently depending on where in the batch it sits.
 */
record DistinctInputs(List<TokenizedInput> inputs, int[] positions) {

    static DistinctInputs of(List<TokenizedInput> all) {
        Map<Ids, Integer> seen = new HashMap<>();
        List<TokenizedInput> distinct = new ArrayList<>(all.size());
        int[] positions = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            TokenizedInput input = all.get(i);
            Integer at = seen.putIfAbsent(new Ids(input.ids()), distinct.size());
            if (at == null) {
                positions[i] = distinct.size();
                distinct.add(input);
            } else {
                positions[i] = at;
            }
        }
        return new DistinctInputs(distinct, positions);
    }

    /** Where the vector of input {@code i} of the request is among the distinct inputs. */
    int indexOf(int i) {
        return positions[i];
    }

    /** Token ids compared by content. */
    private record Ids(long[] ids) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Ids that && Arrays.equals(ids, that.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }
}
