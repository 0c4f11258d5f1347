// nninit/nninit.hpp — the umbrella header: everything a user of nninit needs.
#pragma once

#include "nninit/block_fill.hpp"
#include "nninit/distributions.hpp"
#include "nninit/dtype.hpp"
#include "nninit/error.hpp"
#include "nninit/fans.hpp"
#include "nninit/fill.hpp"
#include "nninit/gain.hpp"
#include "nninit/identity_like.hpp"
#include "nninit/initializers.hpp"
#include "nninit/orthogonal.hpp"
#include "nninit/philox.hpp"
#include "nninit/sparse.hpp"
#include "nninit/stream.hpp"
#include "nninit/structured_block.hpp"
#include "nninit/version.hpp"
