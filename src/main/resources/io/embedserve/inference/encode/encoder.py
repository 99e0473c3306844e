# EmbedServe's encoder: transformers' BertModel / RobertaModel / XLMRobertaModel (modeling_bert.py)
# cut to inference, followed by sentence-transformers' Pooling, as one TorchScript program.
#
# This is TorchScript's serialized-code dialect, not Python: ScriptEncoder packs this file into a
# TorchScript archive as code/__torch__.py and libtorch compiles it at load. The importer resolves
# `torch.x` to the aten operator x and `ops.ns.x` to ns::x, so calls are aten-level
# (torch.linear, torch.layer_norm, not torch.nn.functional paths), and dtypes are ScalarType codes
# (6 float32, 15 bfloat16, 11 bool, 4 int64). A line the importer refuses comes back as a
# ModelLoadException quoting it.
#
# The attributes without a value below are set by ScriptEncoder from config.json; bind() then
# receives the checkpoint's tensors by their Hugging Face names, once, and keeps them.
class Encoder(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  # config.json, key for key
  hidden_size : int
  num_hidden_layers : int
  num_attention_heads : int
  intermediate_size : int
  vocab_size : int
  max_position_embeddings : int
  type_vocab_size : int
  layer_norm_eps : float
  pad_token_id : int
  # hidden_act as a code: 0 gelu (erf), 1 gelu_new / gelu_pytorch_tanh (tanh form), 2 relu, 3 tanh
  hidden_act : int
  # RoBERTa / XLM-R number positions from pad_token_id + 1; BERT from 0
  padding_offset_positions : bool
  # sentence-transformers pooling mode: 0 mean, 1 cls, 2 max, 3 lasttoken
  pooling_mode : int
  # DTYPE, as the ScalarType the dense layers compute in: 6 float32, 15 bfloat16, 12 qint8
  compute_dtype : int
  # the dtype of oneDNN's dense layers: bfloat16 under DTYPE=bfloat16, else float32
  dense_dtype : int
  # Filled by bind(). Embeddings: word, position, token type 0, LayerNorm weight, LayerNorm bias.
  embedding_tensors : List[Tensor]
  # Four dense layers per encoder layer, in this order (index 4 * layer + k):
  #   0 attention.self query, key and value fused into one (3H, H) projection
  #   1 attention.output.dense, 2 intermediate.dense, 3 output.dense
  # each prepared once by prepare_dense() for compute_dtype: oneDNN weights and biases, or (int8)
  # packed quantized parameters.
  dense_weights : List[Tensor]
  dense_biases : List[Tensor]
  dense_packed : List[__torch__.torch.classes.quantized.LinearPackedParamsBase]
  # intermediate.dense's activation as oneDNN's fused post-op: name and algorithm
  activation_post_op : str
  activation_algorithm : str
  # Two LayerNorms per encoder layer (index 2 * layer + k): 0 attention.output, 1 output
  norm_weights : List[Tensor]
  norm_biases : List[Tensor]

  def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
    # input_ids, attention_mask: (B, T) int64, right-padded, shortest sequence first (ScriptEncoder
    # sorts). Returns the pooled vectors (B, H).
    # The dense layers and LayerNorms run on the real tokens only, packed as (N, H) rows, sequence
    # after sequence. Attention needs whole sequences, so it runs on groups of consecutive
    # sequences of similar length, each padded to its longest (attention_groups). A batch then
    # costs about what its tokens cost, whatever their lengths, and the batch planner can mix them.
    batch = input_ids.size(0)
    length = input_ids.size(1)
    real = torch.nonzero(attention_mask.reshape([-1])).view([-1])  # (N) rows of B*T that are tokens
    group_real = annotate(List[Tensor], [])  # per group: its real rows among (g * Tg)
    group_masks = annotate(List[Tensor], [])  # per group: the additive mask (g, 1, 1, Tg)
    if real.size(0) * 8 >= batch * length * 7:
      # Under 1/8 padding, copying rows in and out of every attention costs more than the padding
      # (measured on length-sorted batches of 32, 4% padding: 10-15% slower packed): the layers
      # take the padded rows too, and attention masks them.
      real = torch.arange(batch * length)
      group_real.append(real)
      group_masks.append(self.extended_attention_mask(attention_mask))
    else:
      lengths = annotate(List[int], torch.sum(attention_mask, [1]).tolist())  # tokens per sequence
      first = 0
      for count in self.attention_groups(lengths):
        mask = attention_mask.narrow(0, first, count).narrow(1, 0, lengths[first + count - 1])  # (g, Tg)
        group_real.append(torch.nonzero(mask.reshape([-1])).view([-1]))
        group_masks.append(self.extended_attention_mask(mask))
        first = first + count
    hidden = self.pack(self.embeddings(input_ids, attention_mask), real)  # (N, H)
    for layer in range(self.num_hidden_layers):
      hidden = self.layer(hidden, group_real, group_masks, layer)
    return self.pool(self.unpack(hidden, real, batch, length), attention_mask)

  def attention_groups(self, lengths: List[int]) -> List[int]:
    # Cuts the length-sorted sequences into runs padded together for attention: a run ends where
    # the next sequence is more than twice as long as the run's first.
    groups = annotate(List[int], [])
    count = 0
    shortest = 0
    for tokens in lengths:
      if count > 0 and tokens > 2 * shortest:
        groups.append(count)
        count = 0
      if count == 0:
        shortest = tokens
      count = count + 1
    groups.append(count)
    return groups

  def extended_attention_mask(self, attention_mask: Tensor) -> Tensor:
    # transformers adds the dtype's minimum to the scores of padding keys, so softmax gives them 0.
    batch = attention_mask.size(0)
    length = attention_mask.size(1)
    additive = (1.0 - attention_mask.to(6)) * -3.4028234663852886e+38  # (B, T) float32
    return additive.view([batch, 1, 1, length])  # (B, 1, 1, T)

  def pack(self, padded: Tensor, real: Tensor) -> Tensor:
    # (B, T, W) -> (N, W): the rows of real tokens, in order
    rows = padded.reshape([-1, padded.size(2)])
    if real.size(0) == rows.size(0):
      return rows  # no padding in this batch
    return rows.index_select(0, real)

  def unpack(self, packed: Tensor, real: Tensor, batch: int, length: int) -> Tensor:
    # (N, W) -> (B, T, W), padding rows zero
    width = packed.size(1)
    if real.size(0) == batch * length:
      return packed.view([batch, length, width])
    rows = torch.zeros([batch * length, width], dtype=packed.dtype)
    return rows.index_copy_(0, real, packed).view([batch, length, width])

  def embeddings(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
    # BertEmbeddings / XLMRobertaEmbeddings: word + position + token type, then LayerNorm. Every
    # input is one segment, so the token type is always 0.
    if self.padding_offset_positions:
      # create_position_ids_from_input_ids: real tokens count from pad_token_id + 1, padding keeps
      # pad_token_id (inputs are right-padded, so the attention mask marks the real tokens).
      position_ids = torch.cumsum(attention_mask, 1) * attention_mask + self.pad_token_id  # (B, T)
    else:
      position_ids = torch.arange(input_ids.size(1)).unsqueeze(0)  # (1, T)
    words = torch.embedding(self.embedding_tensors[0], input_ids)  # (B, T, H)
    positions = torch.embedding(self.embedding_tensors[1], position_ids)  # (B or 1, T, H)
    summed = words + positions + self.embedding_tensors[2]
    return torch.layer_norm(summed, [self.hidden_size], self.embedding_tensors[3], self.embedding_tensors[4], self.layer_norm_eps)

  def layer(self, hidden: Tensor, group_real: List[Tensor], group_masks: List[Tensor], layer: int) -> Tensor:
    # BertLayer: post-LN attention block, then post-LN feed-forward block; hidden is (N, H).
    return self.feed_forward(self.attention(hidden, group_real, group_masks, layer), layer)

  def attention(self, hidden: Tensor, group_real: List[Tensor], group_masks: List[Tensor], layer: int) -> Tensor:
    # BertSelfAttention + BertSelfOutput, with the fused scaled-dot-product kernel, group by group.
    qkv = self.dense(hidden, 4 * layer).to(6)  # (N, 3H); attention always runs in float32
    contexts = annotate(List[Tensor], [])
    row = 0
    for group in range(len(group_masks)):
      mask = group_masks[group]
      rows = group_real[group].size(0)
      contexts.append(self.group_attention(qkv.narrow(0, row, rows), group_real[group], mask))
      row = row + rows
    context = contexts[0] if len(contexts) == 1 else torch.cat(contexts, 0)  # (N, H)
    output = self.dense(context, 4 * layer + 1).to(6) + hidden  # residual sums in float32
    return torch.layer_norm(output, [self.hidden_size], self.norm_weights[2 * layer], self.norm_biases[2 * layer], self.layer_norm_eps)

  def group_attention(self, qkv: Tensor, real: Tensor, mask: Tensor) -> Tensor:
    # (n, 3H) packed rows of g sequences and their (g, 1, 1, Tg) mask -> (n, H) context rows
    batch = mask.size(0)
    length = mask.size(3)
    heads = self.num_attention_heads
    head_size = self.hidden_size // heads
    padded = self.unpack(qkv, real, batch, length)  # (g, Tg, 3H); padding rows zero, masked as keys
    padded = padded.view([batch, length, 3, heads, head_size]).permute([2, 0, 3, 1, 4])  # (3, g, nH, Tg, D)
    context = torch.scaled_dot_product_attention(padded[0], padded[1], padded[2], mask)  # (g, nH, Tg, D)
    return self.pack(context.transpose(1, 2).reshape([batch, length, self.hidden_size]), real)

  def feed_forward(self, hidden: Tensor, layer: int) -> Tensor:
    # BertIntermediate + BertOutput: dense, activation, dense, residual, LayerNorm; (N, H).
    inner = self.dense_activated(hidden, 4 * layer + 2)  # (N, I)
    output = self.dense(inner, 4 * layer + 3).to(6) + hidden  # (N, H)
    return torch.layer_norm(output, [self.hidden_size], self.norm_weights[2 * layer + 1], self.norm_biases[2 * layer + 1], self.layer_norm_eps)

  def activation(self, x: Tensor) -> Tensor:
    # transformers' ACT2FN: "gelu" is the exact erf form, gelu_new / gelu_pytorch_tanh the tanh one.
    if self.hidden_act == 0:
      return torch.gelu(x)
    if self.hidden_act == 1:
      return torch.gelu(x, approximate="tanh")
    if self.hidden_act == 2:
      return torch.relu(x)
    return torch.tanh(x)

  def dense(self, x: Tensor, index: int) -> Tensor:
    # nn.Linear: (..., in) -> (..., out), in compute_dtype
    if self.compute_dtype == 12:
      return ops.quantized.linear_dynamic(x, self.dense_packed[index], False)
    return ops.mkldnn._linear_pointwise(x.to(self.dense_dtype), self.dense_weights[index], self.dense_biases[index], "none", [], "")

  def dense_activated(self, x: Tensor, index: int) -> Tensor:
    # nn.Linear then ACT2FN[hidden_act]; oneDNN applies the activation as it writes the product.
    if self.compute_dtype == 12:
      return self.activation(self.dense(x, index))
    return ops.mkldnn._linear_pointwise(x.to(self.dense_dtype), self.dense_weights[index], self.dense_biases[index], self.activation_post_op, [], self.activation_algorithm)

  def pool(self, hidden: Tensor, attention_mask: Tensor) -> Tensor:
    # sentence-transformers' Pooling: (B, T, H) and the (B, T) mask -> (B, H); padding never counts.
    if self.pooling_mode == 1:
      return hidden.select(1, 0)  # the first token (CLS, or <s>)
    weights = attention_mask.to(6).unsqueeze(2)  # (B, T, 1)
    if self.pooling_mode == 0:
      counts = torch.clamp_min(torch.sum(weights, [1]), 1e-09)  # (B, 1)
      return torch.sum(hidden * weights, [1]) / counts
    if self.pooling_mode == 2:
      # masked positions are set to -1e9 before the maximum, as sentence-transformers does
      return torch.amax(hidden * weights + (weights - 1.0) * 1000000000.0, [1])
    # lasttoken: the last real token of each right-padded row
    last = torch.sum(attention_mask, [1]) - 1  # (B)
    index = last.view([-1, 1, 1]).expand([-1, 1, hidden.size(2)])  # (B, 1, H)
    return torch.gather(hidden, 1, index).squeeze(1)

  def checkpoint_shapes(self) -> Dict[str, List[int]]:
    # Every tensor this program takes from the checkpoint, by its Hugging Face name, with its shape.
    hidden = self.hidden_size
    shapes = {"embeddings.word_embeddings.weight": [self.vocab_size, hidden], "embeddings.position_embeddings.weight": [self.max_position_embeddings, hidden], "embeddings.token_type_embeddings.weight": [self.type_vocab_size, hidden], "embeddings.LayerNorm.weight": [hidden], "embeddings.LayerNorm.bias": [hidden]}
    for layer in range(self.num_hidden_layers):
      prefix = "encoder.layer." + str(layer) + "."
      for dense in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]:
        shapes[prefix + dense + ".weight"] = [hidden, hidden]
        shapes[prefix + dense + ".bias"] = [hidden]
      shapes[prefix + "intermediate.dense.weight"] = [self.intermediate_size, hidden]
      shapes[prefix + "intermediate.dense.bias"] = [self.intermediate_size]
      shapes[prefix + "output.dense.weight"] = [hidden, self.intermediate_size]
      shapes[prefix + "output.dense.bias"] = [hidden]
      for norm in ["attention.output.LayerNorm", "output.LayerNorm"]:
        shapes[prefix + norm + ".weight"] = [hidden]
        shapes[prefix + norm + ".bias"] = [hidden]
    return shapes

  def bind(self, tensors: Dict[str, Tensor]) -> None:
    # Called once at load with the tensors checkpoint_shapes() names, already shape-checked.
    self.embedding_tensors = [tensors["embeddings.word_embeddings.weight"], tensors["embeddings.position_embeddings.weight"], tensors["embeddings.token_type_embeddings.weight"][0], tensors["embeddings.LayerNorm.weight"], tensors["embeddings.LayerNorm.bias"]]
    fused = annotate(List[Tensor], [])
    norm_weights = annotate(List[Tensor], [])
    norm_biases = annotate(List[Tensor], [])
    for layer in range(self.num_hidden_layers):
      prefix = "encoder.layer." + str(layer) + "."
      # query, key and value as one (3H, H) projection: one large matrix product instead of three
      fused.append(torch.cat([tensors[prefix + "attention.self.query.weight"], tensors[prefix + "attention.self.key.weight"], tensors[prefix + "attention.self.value.weight"]], 0))
      fused.append(torch.cat([tensors[prefix + "attention.self.query.bias"], tensors[prefix + "attention.self.key.bias"], tensors[prefix + "attention.self.value.bias"]], 0))
      for dense in ["attention.output.dense", "intermediate.dense", "output.dense"]:
        fused.append(tensors[prefix + dense + ".weight"])
        fused.append(tensors[prefix + dense + ".bias"])
      for norm in ["attention.output.LayerNorm", "output.LayerNorm"]:
        norm_weights.append(tensors[prefix + norm + ".weight"])
        norm_biases.append(tensors[prefix + norm + ".bias"])
    self.dense_weights = annotate(List[Tensor], [])
    self.dense_biases = annotate(List[Tensor], [])
    self.dense_packed = annotate(List[__torch__.torch.classes.quantized.LinearPackedParamsBase], [])
    for index in range(len(fused) // 2):
      self.prepare_dense(fused[2 * index], fused[2 * index + 1])
    self.norm_weights = norm_weights
    self.norm_biases = norm_biases

  def prepare_dense(self, weight: Tensor, bias: Tensor) -> None:
    # Precision: the one place DTYPE changes what is computed. Only the dense layers' products
    # change; embeddings, attention (scores, softmax, context), residual sums, LayerNorm and
    # pooling stay float32 in every mode. Measured errors are in docs/PERFORMANCE.md.
    if self.compute_dtype == 12:
      # int8, dynamic quantization: symmetric per-output-channel qint8 weights, prepacked once;
      # linear_dynamic quantizes each batch's activations per tensor over the full 8-bit range
      # (reduce_range off: measured no faster here and twice the error; fbgemm's reason for it,
      # 16-bit saturation in its AVX2 kernel, does not arise on CPUs with VNNI).
      scales = torch.clamp_min(torch.amax(torch.abs(weight), [1]), 1e-12) / 127.0  # (out)
      zero_points = torch.zeros([weight.size(0)], dtype=4)
      quantized = torch.quantize_per_channel(weight, scales.to(7), zero_points, 0, 12)
      self.dense_packed.append(ops.quantized.linear_prepack(quantized, bias))
    else:
      # float32 / bfloat16: oneDNN's GEMM on a weight reordered once into its blocked layout
      # (2-3x MKL's fp32 GEMM on this CPU); bfloat16 casts the weight once and each input per call.
      self.dense_weights.append(ops.mkldnn._reorder_linear_weight(weight.to(self.dense_dtype)))
      self.dense_biases.append(bias.to(self.dense_dtype))
