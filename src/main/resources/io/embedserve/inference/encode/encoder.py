# EmbedServe's encoder: transformers' BertModel / RobertaModel / XLMRobertaModel (modeling_bert.py),
# MPNetModel (modeling_mpnet.py) and DistilBertModel (modeling_distilbert.py) cut to inference,
# followed by sentence-transformers' Pooling and Dense modules (forward: an embedding model), or by
# the head of BertForSequenceClassification / RobertaForSequenceClassification /
# XLMRobertaForSequenceClassification (classify: a cross-encoder), as one TorchScript program.
#
# These encoders are one post-LayerNorm transformer under different module names (layer_names()):
# embeddings, then per layer self-attention + residual + LayerNorm and dense + activation + dense +
# residual + LayerNorm. What else differs sits where transformers puts it: MPNet's and DistilBERT's
# embeddings have no token types, and MPNetEncoder adds a relative position bias, shared by every
# layer, to the scores. (DistilBERT scales the queries before the product and fills masked scores
# instead of adding to them; the fused kernel's scaling and the additive mask give the same
# probabilities.)
#
# This is TorchScript's serialized-code dialect, not Python: ScriptEncoder packs this file into a
# TorchScript archive as code/__torch__.py and libtorch compiles it at load. The importer resolves
# `torch.x` to the aten operator x and `ops.ns.x` to ns::x, so calls are aten-level
# (torch.linear, torch.layer_norm, not torch.nn.functional paths), and dtypes are ScalarType codes
# (6 float32, 15 bfloat16, 11 bool, 4 int64, 7 float64). A line the importer refuses comes back as a
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
  # rows of embeddings.token_type_embeddings; 0 for a model without them (MPNet, DistilBERT)
  type_vocab_size : int
  layer_norm_eps : float
  # MPNet: rows of encoder.relative_attention_bias; 0 for the other architectures
  relative_attention_num_buckets : int
  # hidden_act as a code: 0 gelu (erf), 1 gelu_new / gelu_pytorch_tanh (tanh form), 2 relu, 3 tanh
  hidden_act : int
  # The module tree: 0 BertModel, 1 RobertaModel / XLMRobertaModel, 2 MPNetModel, 3 DistilBertModel
  architecture : int
  # RoBERTa / XLM-R / MPNet number positions from padding_idx + 1 (create_position_ids_from_input_ids);
  # BERT and DistilBERT from 0
  padding_offset_positions : bool
  padding_idx : int
  # sentence-transformers pooling mode: 0 mean, 1 cls, 2 max, 3 lasttoken
  pooling_mode : int
  # a sequence classifier's labels (config.json's id2label); 0 for an embedding model
  num_labels : int
  # the index of the classification head's first dense layer, set by bind()
  head_index : int
  # sentence-transformers Dense modules after pooling, in modules.json order (add_dense_module()):
  # each one's folder, [out_features, in_features, bias 0/1], activation_function as a code
  # (0 Identity, 1 Tanh, 2 ReLU, 3 Sigmoid, 4 GELU), and its nn.Linear's index among the dense layers
  dense_module_paths : List[str]
  dense_module_shapes : List[List[int]]
  dense_module_activations : List[int]
  dense_module_indices : List[int]
  # DTYPE, as the ScalarType the dense layers compute in: 6 float32, 15 bfloat16, 12 qint8
  compute_dtype : int
  # the dtype of oneDNN's dense layers: bfloat16 under DTYPE=bfloat16, else float32
  dense_dtype : int
  # Filled by bind(). Embeddings: word, position, LayerNorm weight, LayerNorm bias.
  embedding_tensors : List[Tensor]
  # embeddings.token_type_embeddings, when the model has them
  token_type_embeddings : List[Tensor]
  # MPNet's encoder.relative_attention_bias, (buckets, heads)
  relative_attention_bias : List[Tensor]
  # Four dense layers per encoder layer, in this order (index 4 * layer + k, kind k):
  #   0 query, key and value fused into one (3H, H) projection
  #   1 attention output, 2 intermediate, 3 output
  # then a classifier's head (kind 4: BertPooler's or RobertaClassificationHead's dense; kind 5:
  # classifier / out_proj) or each Dense module's nn.Linear (kind 6). Each is prepared once by
  # prepare_dense() for compute_dtype: oneDNN weights and biases, or (int8) packed quantized
  # parameters.
  dense_weights : List[Tensor]
  dense_biases : List[Tensor]
  dense_packed : List[__torch__.torch.classes.quantized.LinearPackedParamsBase]
  # Each dense layer's Hugging Face module name and kind (above), for the self-check.
  dense_names : List[str]
  dense_kinds : List[int]
  # How each dense layer runs: 0 the fast path (oneDNN, or int8), 1 the float32 reference path
  # (torch.linear). DenseSelfCheck sets 1 for a shape whose fast path misses its tolerance at load.
  dense_paths : List[int]
  # The checkpoint's float32 weights and biases in the same order, kept by bind() only until the
  # self-check has run (dense_error() measures against them; use_reference() takes them).
  reference_weights : List[Tensor]
  reference_biases : List[Tensor]
  # the intermediate layer's activation as oneDNN's fused post-op: name and algorithm
  activation_post_op : str
  activation_algorithm : str
  # Two LayerNorms per encoder layer (index 2 * layer + k): 0 after attention, 1 after feed-forward
  norm_weights : List[Tensor]
  norm_biases : List[Tensor]

  def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
    # input_ids, attention_mask: (B, T) int64, right-padded. Returns the sentence embeddings (B, D):
    # the pooled vectors, through the Dense modules if there are any. Every input is one segment, so
    # the token type is always 0.
    hidden = self.embeddings(input_ids, attention_mask, torch.zeros_like(input_ids))  # (B, T, H)
    hidden = self.encoder(hidden, attention_mask)
    embedding = self.pool(hidden, attention_mask)  # (B, H)
    for module in range(len(self.dense_module_paths)):
      embedding = self.dense_module(embedding, module)
    return embedding

  def classify(self, input_ids: Tensor, attention_mask: Tensor, token_type_ids: Tensor) -> Tensor:
    # A cross-encoder's text pairs: (B, T) int64 each, right-padded, token_type_ids as the tokenizer's
    # pair template gives them (BERT: 0 for the first text, 1 for the second; else 0). Returns the
    # logits (B, num_labels).
    hidden = self.embeddings(input_ids, attention_mask, token_type_ids)  # (B, T, H)
    hidden = self.encoder(hidden, attention_mask)
    return self.classification_head(hidden)

  def classification_head(self, hidden: Tensor) -> Tensor:
    # BertForSequenceClassification: BertPooler (dense + tanh on the first token), then classifier.
    # RobertaForSequenceClassification / XLMRobertaForSequenceClassification: RobertaClassificationHead,
    # dense + tanh on <s>, then out_proj. The same computation under other names.
    first = hidden.select(1, 0)  # (B, H)
    pooled = torch.tanh(self.dense(first, self.head_index).to(6))  # (B, H)
    return self.dense(pooled, self.head_index + 1).to(6)  # (B, num_labels)

  def encoder(self, hidden: Tensor, attention_mask: Tensor) -> Tensor:
    # BertEncoder / MPNetEncoder / DistilBERT's Transformer: the attention mask, and MPNet's relative
    # position bias, are built once per batch and shared by every layer.
    mask = self.extended_attention_mask(attention_mask)  # (B, 1, 1, T)
    if self.architecture == 2:
      mask = mask + self.compute_position_bias(hidden.size(1))  # (B, nH, T, T)
    for layer in range(self.num_hidden_layers):
      hidden = self.layer(hidden, mask, layer)
    return hidden

  def extended_attention_mask(self, attention_mask: Tensor) -> Tensor:
    # transformers adds the dtype's minimum to the scores of padding keys, so softmax gives them 0.
    batch = attention_mask.size(0)
    length = attention_mask.size(1)
    additive = (1.0 - attention_mask.to(6)) * -3.4028234663852886e+38  # (B, T) float32
    return additive.view([batch, 1, 1, length])  # (B, 1, 1, T)

  def compute_position_bias(self, length: int) -> Tensor:
    # MPNetEncoder.compute_position_bias: one learned scalar per head and relative-distance bucket,
    # added to every layer's attention scores. Positions are counted within the padded batch, as
    # transformers does (padding keys are masked anyway).
    position = torch.arange(length)  # (T)
    relative_position = position.unsqueeze(0) - position.unsqueeze(1)  # (T, T): key minus query
    bucket = self.relative_position_bucket(relative_position)  # (T, T)
    values = torch.embedding(self.relative_attention_bias[0], bucket)  # (T, T, nH)
    return values.permute([2, 0, 1]).unsqueeze(0)  # (1, nH, T, T)

  def relative_position_bucket(self, relative_position: Tensor) -> Tensor:
    # MPNetEncoder.relative_position_bucket with num_buckets 32 and max_distance 128: 16 buckets for
    # each direction; distances below 8 get a bucket each, longer ones share logarithmically wider
    # buckets up to 128 and beyond. The float32 arithmetic is transformers' own, step for step, so
    # that a distance on a bucket boundary lands in the same bucket.
    n = -relative_position
    bucket = (n < 0).to(4) * 16  # the other direction's 16 buckets
    n = torch.abs(n)
    is_small = n < 8
    # log(n / 8) / log(128 / 8) * (16 - 8), truncated; 2.772588722239781 is math.log(16)
    scaled = torch.log(n.to(6) / 8) / 2.772588722239781 * 8
    val_if_large = torch.clamp_max(scaled.to(4) + 8, 15)
    return bucket + torch.where(is_small, n, val_if_large)

  def embeddings(self, input_ids: Tensor, attention_mask: Tensor, token_type_ids: Tensor) -> Tensor:
    # BertEmbeddings / XLMRobertaEmbeddings / MPNetEmbeddings / DistilBERT's Embeddings: word +
    # position (+ token type, where the model has them), then LayerNorm.
    if self.padding_offset_positions:
      # create_position_ids_from_input_ids: real tokens count from padding_idx + 1, padding keeps
      # padding_idx (inputs are right-padded, so the attention mask marks the real tokens).
      position_ids = torch.cumsum(attention_mask, 1) * attention_mask + self.padding_idx  # (B, T)
    else:
      position_ids = torch.arange(input_ids.size(1)).unsqueeze(0)  # (1, T)
    words = torch.embedding(self.embedding_tensors[0], input_ids)  # (B, T, H)
    summed = words + torch.embedding(self.embedding_tensors[1], position_ids)  # (B, T, H)
    if self.type_vocab_size > 0:
      summed = summed + torch.embedding(self.token_type_embeddings[0], token_type_ids)
    return torch.layer_norm(summed, [self.hidden_size], self.embedding_tensors[2], self.embedding_tensors[3], self.layer_norm_eps)

  def layer(self, hidden: Tensor, mask: Tensor, layer: int) -> Tensor:
    # BertLayer / MPNetLayer / DistilBERT's TransformerBlock: post-LN attention block, then post-LN
    # feed-forward block.
    return self.feed_forward(self.attention(hidden, mask, layer), layer)

  def attention(self, hidden: Tensor, mask: Tensor, layer: int) -> Tensor:
    # BertSelfAttention + BertSelfOutput / MPNetAttention / MultiHeadSelfAttention + sa_layer_norm,
    # with the fused scaled-dot-product kernel; the mask carries MPNet's position bias.
    batch = hidden.size(0)
    length = hidden.size(1)
    heads = self.num_attention_heads
    head_size = self.hidden_size // heads
    qkv = self.dense(hidden, 4 * layer).to(6)  # (B, T, 3H); attention always runs in float32
    qkv = qkv.view([batch, length, 3, heads, head_size]).permute([2, 0, 3, 1, 4])  # (3, B, nH, T, D)
    context = torch.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], mask)  # (B, nH, T, D)
    context = context.transpose(1, 2).reshape([batch, length, self.hidden_size])  # (B, T, H)
    output = self.dense(context, 4 * layer + 1).to(6) + hidden  # residual sums in float32
    return torch.layer_norm(output, [self.hidden_size], self.norm_weights[2 * layer], self.norm_biases[2 * layer], self.layer_norm_eps)

  def feed_forward(self, hidden: Tensor, layer: int) -> Tensor:
    # BertIntermediate + BertOutput / MPNetIntermediate + MPNetOutput / FFN + output_layer_norm:
    # dense, activation, dense, residual, LayerNorm.
    inner = self.dense_activated(hidden, 4 * layer + 2)  # (B, T, I)
    output = self.dense(inner, 4 * layer + 3).to(6) + hidden  # (B, T, H)
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
    if self.dense_paths[index] == 1:
      return torch.linear(x.to(6), self.dense_weights[index], self.dense_biases[index])
    if self.compute_dtype == 12:
      return ops.quantized.linear_dynamic(x, self.dense_packed[index], False)
    return ops.mkldnn._linear_pointwise(x.to(self.dense_dtype), self.dense_weights[index], self.dense_biases[index], "none", [], "")

  def dense_activated(self, x: Tensor, index: int) -> Tensor:
    # nn.Linear then ACT2FN[hidden_act]; oneDNN applies the activation as it writes the product.
    if self.dense_paths[index] == 1 or self.compute_dtype == 12:
      return self.activation(self.dense(x, index))
    return ops.mkldnn._linear_pointwise(x.to(self.dense_dtype), self.dense_weights[index], self.dense_biases[index], self.activation_post_op, [], self.activation_algorithm)

  def dense_error(self, index: int, x: Tensor, batch_rows: List[int]) -> float:
    # The self-check's measure: dense layer `index` as it runs now, on the first M rows of x (M from
    # batch_rows, each a separate call, since kernels are chosen per batch size), against the same
    # product in float64, computed once for all of x. The largest relative error of a row,
    # ||y - expected|| / ||expected||, over every batch size (NaN if any output is NaN).
    # Under bfloat16 the expected product is taken from the input, weight and bias rounded to
    # bfloat16 as the kernel receives them, so that only the kernel's own error is measured.
    # A row whose outputs cancel to nearly zero (a classifier's single logit can) would make mere
    # rounding look large, so a row's size counts as at least the size such a product has on
    # average, ||(|x| |W|^T + |b|)_row|| / sqrt(in); on the encoder's wide layers a row's own
    # size is almost always the larger.
    activated = self.dense_kinds[index] == 2
    weight = self.reference_weights[index]
    bias = self.reference_biases[index]
    source = x
    if self.dense_paths[index] == 0 and self.compute_dtype == 15:
      weight = weight.to(15)
      bias = bias.to(15)
      source = x.to(15)
    weight64 = weight.to(7)
    source64 = source.to(7)
    expected = torch.linear(source64, weight64, bias.to(7))  # (M, out) float64
    if activated:
      expected = self.activation(expected)
    magnitude = torch.linear(torch.abs(source64), torch.abs(weight64), torch.abs(bias.to(7)))  # (M, out)
    typical = torch.sum(magnitude * magnitude, [1]) / x.size(1)  # (M)
    size = torch.clamp_min(torch.maximum(torch.sum(expected * expected, [1]), typical), 1e-300)  # (M)
    worst = 0.0
    for rows in batch_rows:
      part = x.narrow(0, 0, rows)  # (rows, in)
      if activated:
        y = self.dense_activated(part, index)
      else:
        y = self.dense(part, index)
      difference = y.to(7) - expected.narrow(0, 0, rows)
      error = float(torch.max(torch.sqrt(torch.sum(difference * difference, [1]) / size.narrow(0, 0, rows))))
      if error != error:
        return error
      if error > worst:
        worst = error
    return worst

  def dense_layers(self) -> List[List[int]]:
    # For the self-check, while the reference weights are held: each dense layer's
    # [in_features, out_features, kind], by index.
    layers = annotate(List[List[int]], [])
    for index in range(len(self.reference_weights)):
      weight = self.reference_weights[index]
      layers.append([weight.size(1), weight.size(0), self.dense_kinds[index]])
    return layers

  def dense_layer_name(self, index: int) -> str:
    return self.dense_names[index]

  def use_reference(self, index: int) -> None:
    # Runs dense layer `index` on the float32 reference path from now on.
    self.dense_paths[index] = 1
    self.dense_weights[index] = self.reference_weights[index]
    self.dense_biases[index] = self.reference_biases[index]

  def release_reference(self) -> None:
    # After the self-check: the layers on the fast path no longer need their float32 copies.
    self.reference_weights = annotate(List[Tensor], [])
    self.reference_biases = annotate(List[Tensor], [])

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

  def dense_module(self, embedding: Tensor, module: int) -> Tensor:
    # sentence-transformers' Dense: activation_function(linear(sentence_embedding)), (B, in) -> (B, out).
    y = self.dense(embedding, self.dense_module_indices[module]).to(6)
    activation = self.dense_module_activations[module]
    if activation == 1:
      return torch.tanh(y)
    if activation == 2:
      return torch.relu(y)
    if activation == 3:
      return torch.sigmoid(y)
    if activation == 4:
      return torch.gelu(y)
    return y

  def add_dense_module(self, path: str, in_features: int, out_features: int, bias: bool, activation: int) -> None:
    # Called before bind(), once per Dense module, in modules.json order.
    if len(self.dense_module_paths) == 0:
      # the lists arrive untyped from the archive: start typed ones
      self.dense_module_paths = annotate(List[str], [])
      self.dense_module_shapes = annotate(List[List[int]], [])
      self.dense_module_activations = annotate(List[int], [])
    self.dense_module_paths.append(path)
    self.dense_module_shapes.append([out_features, in_features, int(bias)])
    self.dense_module_activations.append(activation)

  def layer_names(self, layer: int) -> List[str]:
    # The Hugging Face module names of encoder layer `layer`, in the order bind() takes them: query,
    # key, value, attention output, intermediate, output, the LayerNorm after attention, the one
    # after the feed-forward block; last, the name the self-check gives the fused query/key/value.
    if self.architecture == 3:
      # DistilBERT's TransformerBlock: MultiHeadSelfAttention's q_lin/k_lin/v_lin/out_lin, FFN's lin1/lin2
      prefix = "transformer.layer." + str(layer) + "."
      return [prefix + "attention.q_lin", prefix + "attention.k_lin", prefix + "attention.v_lin", prefix + "attention.out_lin", prefix + "ffn.lin1", prefix + "ffn.lin2", prefix + "sa_layer_norm", prefix + "output_layer_norm", prefix + "attention.q_lin/k_lin/v_lin"]
    prefix = "encoder.layer." + str(layer) + "."
    if self.architecture == 2:
      # MPNetLayer: attention.attn is MPNetSelfAttention, whose output projection o sits beside q, k, v
      return [prefix + "attention.attn.q", prefix + "attention.attn.k", prefix + "attention.attn.v", prefix + "attention.attn.o", prefix + "intermediate.dense", prefix + "output.dense", prefix + "attention.LayerNorm", prefix + "output.LayerNorm", prefix + "attention.attn.q/k/v"]
    # BertLayer (RobertaLayer, XLMRobertaLayer)
    return [prefix + "attention.self.query", prefix + "attention.self.key", prefix + "attention.self.value", prefix + "attention.output.dense", prefix + "intermediate.dense", prefix + "output.dense", prefix + "attention.output.LayerNorm", prefix + "output.LayerNorm", prefix + "attention.self.query/key/value"]

  def checkpoint_shapes(self) -> Dict[str, List[int]]:
    # Every tensor this program takes from the checkpoint, by its Hugging Face name, with its shape.
    hidden = self.hidden_size
    inner = self.intermediate_size
    shapes = {"embeddings.word_embeddings.weight": [self.vocab_size, hidden], "embeddings.position_embeddings.weight": [self.max_position_embeddings, hidden], "embeddings.LayerNorm.weight": [hidden], "embeddings.LayerNorm.bias": [hidden]}
    if self.type_vocab_size > 0:
      shapes["embeddings.token_type_embeddings.weight"] = [self.type_vocab_size, hidden]
    if self.architecture == 2:
      shapes["encoder.relative_attention_bias.weight"] = [self.relative_attention_num_buckets, self.num_attention_heads]
    # (out, in) of query, key, value, attention output, intermediate, output
    widths = [[hidden, hidden], [hidden, hidden], [hidden, hidden], [hidden, hidden], [inner, hidden], [hidden, inner]]
    for layer in range(self.num_hidden_layers):
      names = self.layer_names(layer)
      for k in range(6):
        shapes[names[k] + ".weight"] = widths[k]
        shapes[names[k] + ".bias"] = [widths[k][0]]
      for k in [6, 7]:
        shapes[names[k] + ".weight"] = [hidden]
        shapes[names[k] + ".bias"] = [hidden]
    return shapes

  def head_names(self) -> List[str]:
    # The classification head's modules, named as the full checkpoint names them (the base model's
    # own names sit under bert. / roberta.): the dense + tanh, then the layer that gives the logits.
    if self.architecture == 0:
      return ["bert.pooler.dense", "classifier"]
    return ["classifier.dense", "classifier.out_proj"]

  def head_shapes(self) -> Dict[str, List[int]]:
    # Every tensor the classification head takes, by its full checkpoint name; none without a head.
    shapes = annotate(Dict[str, List[int]], {})
    if self.num_labels > 0:
      names = self.head_names()
      shapes[names[0] + ".weight"] = [self.hidden_size, self.hidden_size]
      shapes[names[0] + ".bias"] = [self.hidden_size]
      shapes[names[1] + ".weight"] = [self.num_labels, self.hidden_size]
      shapes[names[1] + ".bias"] = [self.num_labels]
    return shapes

  def module_shapes(self) -> Dict[str, List[int]]:
    # Every tensor the Dense modules take, as "<folder>/<name in the folder's model.safetensors>".
    shapes = annotate(Dict[str, List[int]], {})
    for module in range(len(self.dense_module_paths)):
      path = self.dense_module_paths[module]
      shape = self.dense_module_shapes[module]
      shapes[path + "/linear.weight"] = [shape[0], shape[1]]
      if shape[2] == 1:
        shapes[path + "/linear.bias"] = [shape[0]]
    return shapes

  def bind(self, tensors: Dict[str, Tensor]) -> None:
    # Called once at load with the tensors checkpoint_shapes(), head_shapes() and module_shapes()
    # name, already shape-checked.
    self.embedding_tensors = [tensors["embeddings.word_embeddings.weight"], tensors["embeddings.position_embeddings.weight"], tensors["embeddings.LayerNorm.weight"], tensors["embeddings.LayerNorm.bias"]]
    self.token_type_embeddings = annotate(List[Tensor], [])
    if self.type_vocab_size > 0:
      self.token_type_embeddings.append(tensors["embeddings.token_type_embeddings.weight"])
    self.relative_attention_bias = annotate(List[Tensor], [])
    if self.architecture == 2:
      self.relative_attention_bias.append(tensors["encoder.relative_attention_bias.weight"])
    self.dense_weights = annotate(List[Tensor], [])
    self.dense_biases = annotate(List[Tensor], [])
    self.dense_packed = annotate(List[__torch__.torch.classes.quantized.LinearPackedParamsBase], [])
    self.dense_names = annotate(List[str], [])
    self.dense_kinds = annotate(List[int], [])
    self.dense_paths = annotate(List[int], [])
    self.reference_weights = annotate(List[Tensor], [])
    self.reference_biases = annotate(List[Tensor], [])
    norm_weights = annotate(List[Tensor], [])
    norm_biases = annotate(List[Tensor], [])
    for layer in range(self.num_hidden_layers):
      names = self.layer_names(layer)
      # query, key and value as one (3H, H) projection: one large matrix product instead of three
      fused_weight = torch.cat([tensors[names[0] + ".weight"], tensors[names[1] + ".weight"], tensors[names[2] + ".weight"]], 0)
      fused_bias = torch.cat([tensors[names[0] + ".bias"], tensors[names[1] + ".bias"], tensors[names[2] + ".bias"]], 0)
      self.add_dense(names[8], 0, fused_weight, fused_bias)
      for k in [3, 4, 5]:
        self.add_dense(names[k], k - 2, tensors[names[k] + ".weight"], tensors[names[k] + ".bias"])
      for k in [6, 7]:
        norm_weights.append(tensors[names[k] + ".weight"])
        norm_biases.append(tensors[names[k] + ".bias"])
    self.norm_weights = norm_weights
    self.norm_biases = norm_biases
    self.head_index = len(self.dense_kinds)
    if self.num_labels > 0:
      names = self.head_names()
      self.add_dense(names[0], 4, tensors[names[0] + ".weight"], tensors[names[0] + ".bias"])
      self.add_dense(names[1], 5, tensors[names[1] + ".weight"], tensors[names[1] + ".bias"])
    self.dense_module_indices = annotate(List[int], [])
    for module in range(len(self.dense_module_paths)):
      path = self.dense_module_paths[module]
      shape = self.dense_module_shapes[module]
      if shape[2] == 1:
        bias = tensors[path + "/linear.bias"]
      else:
        bias = torch.zeros([shape[0]])  # nn.Linear(bias=False): nothing to add
      self.dense_module_indices.append(len(self.dense_kinds))
      self.add_dense(path + "/linear", 6, tensors[path + "/linear.weight"], bias)

  def add_dense(self, name: str, kind: int, weight: Tensor, bias: Tensor) -> None:
    # Appends a dense layer at the next index, on its fast path, keeping the float32 reference.
    self.prepare_dense(weight, bias)
    self.dense_names.append(name)
    self.dense_kinds.append(kind)
    self.dense_paths.append(0)
    self.reference_weights.append(weight)
    self.reference_biases.append(bias)

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
      # placeholders, so that use_reference() can put a float32 layer at this index
      self.dense_weights.append(torch.empty([0]))
      self.dense_biases.append(torch.empty([0]))
    else:
      # float32 / bfloat16: oneDNN's inner product on the weight in its plain (out, in) layout, cast
      # once (bfloat16 casts each input per call). The weight is deliberately not reordered into a
      # blocked layout: _reorder_linear_weight picks the layout oneDNN's kernel prefers for one batch
      # size (128 rows when none is given), _linear_pointwise then hands that layout unchanged to
      # the kernel it creates for each actual batch size, and on AVX-512 hosts of another CPU model
      # that kernel read it wrongly for some widths and batch sizes (docs/PERFORMANCE.md, "Dense
      # layers: the weight layout"). Every oneDNN implementation reads the plain layout.
      self.dense_weights.append(weight.to(self.dense_dtype).contiguous())
      self.dense_biases.append(bias.to(self.dense_dtype))
