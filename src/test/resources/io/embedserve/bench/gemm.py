# GemmBenchmark's program: the dense-layer paths libtorch offers on CPU, and attention fused or
# materialised, each repeated inside one call so that JNI costs nothing. Same dialect as the
# encoder's encoder.py (aten names, dtype codes: 6 float32, 15 bfloat16, 12 qint8).
class Gemm(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  # prepared once: 0 float32 weight, 1 float32 reordered for oneDNN, 2 bfloat16 weight, 3 bfloat16 reordered, 4 bias, 5 bf16 bias
  prepared : List[Tensor]
  packed : List[__torch__.torch.classes.quantized.LinearPackedParamsBase]

  def prepare(self, weight: Tensor, bias: Tensor, bfloat16: bool) -> None:
    # the weights of every path: encoder.py's prepare_dense uses the plain ones (0, 2) and the int8 pack
    scales = torch.clamp_min(torch.amax(torch.abs(weight), [1]), 1e-12) / 127.0
    quantized = torch.quantize_per_channel(weight, scales.to(7), torch.zeros([weight.size(0)], dtype=4), 0, 12)
    self.packed = [ops.quantized.linear_prepack(quantized, bias)]
    # oneDNN cannot reorder a bfloat16 weight without bfloat16 support in the CPU: then the plain one stands in
    reordered16 = ops.mkldnn._reorder_linear_weight(weight.to(15)) if bfloat16 else weight.to(15)
    self.prepared = [weight, ops.mkldnn._reorder_linear_weight(weight), weight.to(15), reordered16, bias, bias.to(15)]

  def dense(self, x: Tensor, path: int, reps: int) -> Tensor:
    # path: 0 torch.linear float32 (MKL), 1 oneDNN float32 reordered, 2 torch.linear bfloat16, 3 oneDNN bfloat16
    # reordered, 4 int8 dynamic, 5 oneDNN float32 on the plain weight, 6 oneDNN bfloat16 on the plain weight
    y = x
    x16 = x.to(15)
    for i in range(reps):
      if path == 0:
        y = torch.linear(x, self.prepared[0], self.prepared[4])
      elif path == 1:
        y = ops.mkldnn._linear_pointwise(x, self.prepared[1], self.prepared[4], "none", [], "")
      elif path == 2:
        y = torch.linear(x16, self.prepared[2], self.prepared[5])
      elif path == 3:
        y = ops.mkldnn._linear_pointwise(x16, self.prepared[3], self.prepared[5], "none", [], "")
      elif path == 5:
        y = ops.mkldnn._linear_pointwise(x, self.prepared[0], self.prepared[4], "none", [], "")
      elif path == 6:
        y = ops.mkldnn._linear_pointwise(x16, self.prepared[2], self.prepared[5], "none", [], "")
      else:
        y = ops.quantized.linear_dynamic(x, self.packed[0], False)
    return y.to(6)

  def attention(self, query: Tensor, key: Tensor, value: Tensor, mask: Tensor, fused: bool, reps: int) -> Tensor:
    # (B, nH, T, D) each, mask (B, 1, 1, T) additive
    y = query
    for i in range(reps):
      if fused:
        y = torch.scaled_dot_product_attention(query, key, value, mask)
      else:
        scores = torch.matmul(query, key.transpose(2, 3)) / 8.0 + mask  # (B, nH, T, T)
        y = torch.matmul(torch.softmax(scores, -1), value)  # (B, nH, T, D)
    return y
