"""nninit validate CHECKPOINT --spec on weights PyTorch made: GPT-2-shaped
parameters (n_layer 2, n_embd 128, vocab 1000; nanoGPT's recipe: normal 0.02,
residual projections 0.02 / sqrt(2 n_layer), zero biases, LayerNorm ones and
zeros) built with torch.nn.init, written as safetensors, pass against the
matching spec; a wrong std planted in exactly one tensor fails exactly that
tensor (JUnit shows it). Skipped (exit 77) without PyTorch."""
import json
import math
import os
import sys
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test_support import Context, import_torch_or_skip  # noqa: E402
import safetensors_test_support as st  # noqa: E402

torch = import_torch_or_skip()
context = Context(__doc__)
torch.manual_seed(1234)

n_layer, n_embd, vocab, block_size = 2, 128, 1000, 256
residual_std = 0.02 / math.sqrt(2 * n_layer)


def gpt2(planted=None):
    """[(name, tensor, spec entry)] in nanoGPT's order; `planted` = (name, std)
    draws that one tensor with a wrong std."""
    out = []

    def normal(name, shape, std):
        drawn = planted[1] if planted and planted[0] == name else std
        out.append((name, torch.nn.init.normal_(torch.empty(*shape), 0.0, drawn),
                    {"name": name, "shape": list(shape), "init": "torch.normal", "params": {"mean": 0, "std": std}}))

    def constant(name, shape, value):
        t = torch.nn.init.ones_(torch.empty(*shape)) if value == 1 else torch.nn.init.zeros_(torch.empty(*shape))
        out.append((name, t, {"name": name, "shape": list(shape), "init": "ones" if value == 1 else "zeros"}))

    normal("transformer.wte.weight", (vocab, n_embd), 0.02)
    normal("transformer.wpe.weight", (block_size, n_embd), 0.02)
    for i in range(n_layer):
        h = f"transformer.h.{i}."
        constant(h + "ln_1.weight", (n_embd,), 1)
        constant(h + "ln_1.bias", (n_embd,), 0)
        normal(h + "attn.c_attn.weight", (3 * n_embd, n_embd), 0.02)
        constant(h + "attn.c_attn.bias", (3 * n_embd,), 0)
        normal(h + "attn.c_proj.weight", (n_embd, n_embd), residual_std)
        constant(h + "attn.c_proj.bias", (n_embd,), 0)
        constant(h + "ln_2.weight", (n_embd,), 1)
        constant(h + "ln_2.bias", (n_embd,), 0)
        normal(h + "mlp.c_fc.weight", (4 * n_embd, n_embd), 0.02)
        constant(h + "mlp.c_fc.bias", (4 * n_embd,), 0)
        normal(h + "mlp.c_proj.weight", (n_embd, 4 * n_embd), residual_std)
        constant(h + "mlp.c_proj.bias", (n_embd,), 0)
    constant("transformer.ln_f.weight", (n_embd,), 1)
    constant("transformer.ln_f.bias", (n_embd,), 0)
    return out


model = gpt2()
spec = context.path("gpt2.json")
with open(spec, "w") as f:
    json.dump({"seed": 0, "layout": "torch", "parameters": [entry for _, _, entry in model]}, f)


def run(name, parameters, expect):
    path = context.path(name + ".safetensors")
    st.write(path, [(n, t.numpy()) for n, t, _ in parameters], {"format": "pt"})
    junit = context.path(name + ".xml")
    result = context.run("validate", path, "--spec", spec, "--json", "--junit", junit, "--no-progress", expect=expect)
    return json.loads(result.stdout), ElementTree.parse(junit).getroot()


result, junit = run("gpt2", model, 0)
context.check(result["verdict"] == "PASS" and result["passed"] == len(model) and result["producer"] is None,
              f"torch GPT-2: {[(t['name'], t['status'], t['reason']) for t in result['tensors'] if t['status'] != 'PASS']}")
context.check(junit.get("tests") == str(len(model)) and junit.get("failures") == "0", "JUnit of the passing model")

# A wrong std in exactly one tensor: the residual projection drawn with 0.02
# instead of 0.02 / sqrt(2 n_layer) (nanoGPT without its scaled init).
planted = "transformer.h.1.mlp.c_proj.weight"
result, junit = run("planted", gpt2((planted, 0.02)), 1)
failing = [t["name"] for t in result["tensors"] if t["status"] == "FAIL"]
context.check(failing == [planted], f"planted std: failing {failing}")
cases = {c.get("name"): c for c in junit.find("testsuite").findall("testcase")}
failure = cases[planted].find("failure")
context.check(junit.get("failures") == "1" and failure is not None and "standard_deviation" in failure.get("message") and
              all(c.find("failure") is None for n, c in cases.items() if n != planted),
              f"JUnit names exactly {planted}: {failure.get('message') if failure is not None else None}")

context.done()
