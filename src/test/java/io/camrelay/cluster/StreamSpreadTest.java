package io.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StreamSpreadTest {

    private static final List<String> NINE = IntStream.rangeClosed(1, 9).mapToObj(i -> "s" + i).toList();

    @Test
    void nineStreamsNobodyStreamsSpreadThreeThreeThree() {
        Map<String, String> plan = StreamSpread.plan(NINE, List.of("a", "b", "c"), Map.of());

        assertThat(counts(plan.values())).containsExactly(Map.entry("a", 3L), Map.entry("b", 3L), Map.entry("c", 3L));
    }

    @Test
    void aBalancedClusterKeepsEveryStreamWhereItIs() {
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < NINE.size(); i++) {
            owners.put(NINE.get(i), List.of("c", "a", "b").get(i % 3));
        }

        assertThat(StreamSpread.plan(NINE, List.of("a", "b", "c"), owners)).isEqualTo(owners);
    }

    @Test
    void aDeadNodesStreamsGoToTheOthersAndNoOtherStreamMoves() {
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < NINE.size(); i++) {
            owners.put(NINE.get(i), List.of("a", "b", "c").get(i % 3));
        }

        Map<String, String> plan = StreamSpread.plan(NINE, List.of("a", "b"), owners);

        owners.forEach((stream, owner) -> {
            if (!owner.equals("c")) {
                assertThat(plan.get(stream)).as(stream).isEqualTo(owner);
            }
        });
        assertThat(counts(plan.values()).values()).containsExactlyInAnyOrder(5L, 4L);
    }

    @Test
    void aJoiningNodeGetsItsShareFromTheFullestNodesOnly() {
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < NINE.size(); i++) {
            owners.put(NINE.get(i), i < 5 ? "a" : "b");
        }

        Map<String, String> plan = StreamSpread.plan(NINE, List.of("a", "b", "c"), owners);

        assertThat(counts(plan.values())).containsExactly(Map.entry("a", 3L), Map.entry("b", 3L), Map.entry("c", 3L));
        long moved = owners.entrySet().stream().filter(e -> !plan.get(e.getKey()).equals(e.getValue())).count();
        assertThat(moved).as("streams moved").isEqualTo(3);
    }

    @Test
    void countsDifferByAtMostOneAndTheLargerSharesStayWithTheNodesThatHaveThem() {
        List<String> ten = IntStream.rangeClosed(1, 10).mapToObj(i -> "s" + i).toList();
        Map<String, String> owners = new HashMap<>();
        ten.forEach(s -> owners.put(s, "b"));

        Map<String, String> plan = StreamSpread.plan(ten, List.of("a", "b", "c"), owners);

        assertThat(counts(plan.values())).containsEntry("b", 4L).containsEntry("a", 3L).containsEntry("c", 3L);
    }

    @Test
    void ownersThatAreNotMembersCountAsNone() {
        Map<String, String> plan = StreamSpread.plan(List.of("s1", "s2"), List.of("a"), Map.of("s1", "gone"));

        assertThat(plan).containsEntry("s1", "a").containsEntry("s2", "a");
    }

    @Test
    void noMembersNoPlan() {
        assertThat(StreamSpread.plan(NINE, List.of(), Map.of())).isEmpty();
    }

    private static Map<String, Long> counts(Collection<String> owners) {
        return owners.stream().collect(Collectors.groupingBy(o -> o, TreeMap::new, Collectors.counting()));
    }
}
