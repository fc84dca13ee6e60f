// Keras's Functional API: a residual block as a frozen base inside a Sequential head.
// snippet.hide
import Training

// snippet.show
let input = try Input(shape: [28, 28, 1], seed: 1)
let stem = try Conv2D(filters: 16, kernelSize: (3, 3), padding: .same, activation: .relu)(input)
let branch = try Conv2D(filters: 16, kernelSize: (3, 3), padding: .same)(
    try Conv2D(filters: 16, kernelSize: (3, 3), padding: .same, activation: .relu)(stem))
let block = try Activation(.relu)(try Add()([stem, branch]))        // a residual connection
let base = try Model(inputs: input, outputs: block, name: "base")
base.trainable = false                                             // freezes every layer inside
let model = try Sequential(inputShape: [28, 28, 1], layers: [
    base, GlobalAveragePooling2D(), Dense(units: 128, activation: .relu), Dropout(rate: 0.3),
    Dense(units: 10, activation: .softmax),
])
print(model.summary())   // Keras 3's columns: Layer (type), Output Shape, Param #, Connected to
