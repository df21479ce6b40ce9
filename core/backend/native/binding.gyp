{
  "targets": [
    {
      "target_name": "sen12ms_kernels",
      "sources": ["src/addon.cc", "src/batch_norm.cc", "src/conv.cc", "src/elementwise.cc", "src/gemm.cc", "src/pool2d.cc", "src/thread_pool.cc"],
      "cflags_cc": ["-std=c++17", "-O3", "-fvisibility=hidden"],
      "cflags_cc!": ["-std=gnu++17", "-std=gnu++1y", "-std=gnu++14"],
      "xcode_settings": { "CLANG_CXX_LANGUAGE_STANDARD": "c++17", "GCC_OPTIMIZATION_LEVEL": "3" },
      "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/std:c++17"] } }
    }
  ]
}
