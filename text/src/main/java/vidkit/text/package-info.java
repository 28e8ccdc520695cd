/**
 * Text in: sentence encoders for titles and questions. {@link vidkit.text.TextEncoder} turns
 * sentences into unit vectors ({@code [sentences, dimension]}) or into token states with their
 * mask ({@code [sentences, tokens, hidden]}) for models that attend over words;
 * {@link vidkit.text.OnnxTextEncoder} runs the pretrained models of {@link vidkit.text.TextModel}
 * (English MiniLM-L6, Chinese bge-small-zh-v1.5: ONNX files and tokenizers shipped inside Maven
 * Central jars, never downloaded at run time) on ONNX Runtime with DJL's HuggingFace tokenizers.
 */
package vidkit.text;
