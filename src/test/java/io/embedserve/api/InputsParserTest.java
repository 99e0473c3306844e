package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.EmptyInputException;
import io.embedserve.error.ValidationException;
import io.embedserve.inference.EmbedInput;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class InputsParserTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void readsAStringAsOneTextInput() {
        assertThat(InputsParser.embedInputs(json("\"hello\""), "inputs")).containsExactly(new EmbedInput.Text("hello"));
    }

    @Test
    void readsAFlatListOfIntegersAsOneTokenIdInput() {
        List<EmbedInput> inputs = InputsParser.embedInputs(json("[0, 1, 4294967295]"), "inputs");
        assertThat(inputs).hasSize(1);
        assertThat(((EmbedInput.TokenIds) inputs.get(0)).ids()).containsExactly(0, 1, 4294967295L);
    }

    @Test
    void readsAListOfStringsAndIdListsAsABatch() {
        List<EmbedInput> inputs = InputsParser.embedInputs(json("[\"a\", [5, 6]]"), "inputs");
        assertThat(inputs.get(0)).isEqualTo(new EmbedInput.Text("a"));
        assertThat(((EmbedInput.TokenIds) inputs.get(1)).ids()).containsExactly(5, 6);
    }

    @Test
    void keepsTextsExactlyAsSent() {
        assertThat(InputsParser.texts(json("[\"  spaced \", \"日本語 😀\"]"), "inputs"))
                .containsExactly("  spaced ", "日本語 😀");
    }

    @Test
    void rejectsEmptyThingsAsEmpty() {
        for (String empty : List.of("\"\"", "[]", "[\"a\", \"\"]", "[[]]")) {
            assertThatThrownBy(() -> InputsParser.embedInputs(json(empty), "inputs"))
                    .as(empty).isInstanceOf(EmptyInputException.class);
        }
    }

    @Test
    void rejectsWrongTypesAsValidationNamingThePlace() {
        assertThatThrownBy(() -> InputsParser.embedInputs(json("true"), "inputs"))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("`inputs` must be");
        assertThatThrownBy(() -> InputsParser.embedInputs(json("[[1, 2], [3, \"x\"]]"), "inputs"))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("`inputs[1][1]` must be a token id");
        assertThatThrownBy(() -> InputsParser.embedInputs(json("[[[1]]]"), "inputs"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("got a list");
        assertThatThrownBy(() -> InputsParser.embedInputs(json("[99999999999999999999999]"), "inputs"))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> InputsParser.embedInputs(json("null"), "inputs"))
                .isInstanceOf(ValidationException.class).hasMessage("missing field `inputs`");
    }

    @Test
    void acceptsSurrogatePairsButNotLoneSurrogates() {
        assertThat(InputsParser.texts(json("\"\\ud83d\\ude00\""), "inputs")).containsExactly("😀");
        assertThatThrownBy(() -> InputsParser.texts(json("\"a\\ude00\""), "inputs"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unpaired surrogate at char 1");
    }

    @Test
    void readsDecodeIdsAsOneOrManyLists() {
        assertThat(InputsParser.idLists(json("[1, 2]"), "ids")).hasSize(1);
        assertThat(InputsParser.idLists(json("[[1], [2, 3]]"), "ids")).hasSize(2);
        assertThatThrownBy(() -> InputsParser.idLists(json("[[1], 2]"), "ids"))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("`ids[1]`");
    }
}
