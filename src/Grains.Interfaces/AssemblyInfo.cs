// Grain interfaces and wire types (RingTensor, session spec, progress, report) arrive with the
// parties-as-grains work; this project exists now so that the solution has its final layout.
[assembly: System.CLSCompliant(false)]
